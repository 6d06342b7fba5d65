/**
 * Generic mechanisms that amortise per-item cost: bounded MPSC queues (jctools), batch
 * accumulators with count/byte/time limits, the group-commit coordinator (many writers, one
 * sync) and reusable buffers (agrona).
 *
 * <p>This module knows nothing about Raft, RocksDB or Netty.
 */
package io.multiraft.batching;
