/** A node's admin endpoint (binary over HTTP), its client, and remote nodes for the cross-node admin paths. */
package io.multiraft.rangestore.admin;
