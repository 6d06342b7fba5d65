/** The embedding API of the range store: configuration, opening a node, data and admin operations. */
package io.multiraft.rangestore.api;
