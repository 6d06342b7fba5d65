package io.multiraft.core;

/**
 * Expected refusals of {@link LogStorage} reads. They carry no stack trace: they are control flow
 * on rare paths (a race with compaction, a snapshot not ready) and must stay cheap.
 */
public abstract class StorageException extends RuntimeException {
  protected StorageException(String message) {
    super(message, null, false, false);
  }

  /** The requested index was compacted away; fall back to a snapshot. */
  public static final class Compacted extends StorageException {
    public Compacted(long index, long firstIndex) {
      super("index " + index + " is compacted; first available index is " + firstIndex);
    }
  }

  /** The requested index is not (yet) in storage. */
  public static final class Unavailable extends StorageException {
    public Unavailable(long index, long lastIndex) {
      super("index " + index + " is unavailable; last index is " + lastIndex);
    }
  }

  /** No snapshot can be sent right now; the core retries on a later heartbeat. */
  public static final class SnapshotTemporarilyUnavailable extends StorageException {
    public SnapshotTemporarilyUnavailable(String why) {
      super("snapshot temporarily unavailable: " + why);
    }
  }
}
