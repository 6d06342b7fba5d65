/**
 * The RocksDB implementation of {@code LogStorage} (one shared RocksDB per node), the key-value
 * state machine of a range, range descriptors and routing, split, merge, replica moves, range
 * snapshots, the embedding API, the server and the admin command line.
 */
package io.multiraft.rangestore;
