package io.multiraft.core;

import java.util.List;

/**
 * The read side of one group's durable log, as the Raft core needs it. Indexes in
 * [firstIndex, lastIndex] are readable; firstIndex - 1 is the index of the last compacted entry
 * (or of the snapshot), whose term is still known. Implementations may be read from the group's
 * worker while a compactor truncates the log: a read of compacted entries must throw
 * {@link StorageException.Compacted}, never return wrong data (lessons 5 and 6).
 */
public interface LogStorage {

  /** The persisted hard state and membership when the group starts. */
  InitialState initialState();

  /**
   * Entries in [lo, hi), at least one if any exist and at most {@code maxBytes} after the first.
   *
   * @throws StorageException.Compacted if {@code lo} has been compacted away
   * @throws StorageException.Unavailable if entries up to {@code hi} are not stored (yet)
   */
  List<Entry> entries(long lo, long hi, long maxBytes);

  /**
   * The term of entry {@code index}, for index in [firstIndex - 1, lastIndex].
   *
   * @throws StorageException.Compacted below that range
   * @throws StorageException.Unavailable above it
   */
  long term(long index);

  long firstIndex();

  long lastIndex();

  /**
   * The most recent snapshot, for sending to a follower that is too far behind.
   *
   * @throws StorageException.SnapshotTemporarilyUnavailable if it is being produced, or the node's
   *     limit of concurrent snapshot sends is reached; the core retries later
   */
  Snapshot snapshot();

  /** A group's persisted state when it is (re)created. */
  record InitialState(HardState hardState, ConfState confState) {}
}
