/**
 * A node's admin methods (binary requests over the transport's listener, mutual TLS when configured),
 * their client, and remote nodes for the cross-node admin paths.
 */
package io.multiraft.rangestore.admin;
