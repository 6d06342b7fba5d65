package io.multiraft.spi;

import io.multiraft.core.LogStorage;
import java.util.List;
import java.util.Set;

/**
 * One node's durable Raft log: the entries and state of every group it hosts, in one store,
 * written in batches that span many groups (one write, one sync per duty cycle). Implementations:
 * the RocksDB store in {@code rangestore.log}, an in-memory store with simulated crashes for tests.
 *
 * <p>Threading: {@link #write} is called by one writer at a time; {@link #storage} readers (the raft
 * workers), {@link #compact} and {@link #removeGroup} (a compactor) may run concurrently with it.
 * A read of entries that a concurrent compaction removed throws
 * {@link io.multiraft.core.StorageException.Compacted}, never returns wrong data.
 *
 * <p>Failure: after an I/O error the store fails closed: every later write, compaction and read
 * throws {@link LogStoreException} naming the first cause, until it is reopened. A stored entry
 * whose checksum does not match throws {@link CorruptLogException} and is never returned.
 *
 * <p>Snapshots: the store keeps only snapshot metadata (from {@link LogBatch#snapshot} and
 * {@link LogBatch#bootstrap}); {@code storage(g).snapshot()} returns that metadata with empty data,
 * or {@code SnapshotTemporarilyUnavailable} once the log was compacted past it. Runtimes that create
 * state-machine snapshots wrap the storage to serve their own.
 */
public interface LogStore extends AutoCloseable {

  /** Groups with state in the store, as recovered when it was opened or created since. */
  Set<Long> groups();

  /**
   * The read side of one group's log, for its {@code RaftGroup}. A group unknown to the store reads
   * as empty (index 0, empty hard state). The returned object is cached and cheap to call.
   */
  LogStorage storage(long groupId);

  /** A new, empty batch to fill and pass to {@link #write}. */
  LogBatch newBatch();

  /**
   * Writes batches atomically, as one unit: after a crash either all of them are there or none.
   * With {@code sync} they are durable when this returns.
   *
   * @throws LogStoreException on an I/O error; the store then refuses further writes
   */
  void write(List<LogBatch> batches, boolean sync);

  /**
   * Discards a group's entries up to and including {@code index} (never past the last snapshot the
   * caller recorded), remembering the term at {@code index}. An index at or below the current
   * compaction point does nothing; one beyond the last stored index compacts only what is stored.
   * Safe against concurrent writes and reads. Need not be durable at once: a later synced write
   * makes it durable, and a compaction lost in a crash only leaves entries that are still valid.
   */
  void compact(long groupId, long index);

  /**
   * Deletes every key of a group (merge, replica removal), durably: a removed group does not come
   * back after a crash. Its {@link #storage} then reads as empty.
   */
  void removeGroup(long groupId);

  @Override
  void close();
}
