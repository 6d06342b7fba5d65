/** The command line: the server, the admin commands and the demo, in one picocli program. */
package io.multiraft.rangestore.cli;
