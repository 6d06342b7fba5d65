package io.multiraft.spi;

/** A stored entry failed its checksum: it is refused, never applied. */
public final class CorruptLogException extends LogStoreException {
  private final long groupId;
  private final long index;

  public CorruptLogException(long groupId, long index, String where) {
    this(groupId, index, where, "failed its CRC32C check");
  }

  /** {@code problem} says what is wrong with the entry: "is missing", "is truncated (3 bytes)", ... */
  public CorruptLogException(long groupId, long index, String where, String problem) {
    super("corrupt log entry: group " + groupId + " index " + index + " in " + where + " " + problem
        + "; the replica must be rebuilt from a snapshot (remove the group's data and re-add the replica)");
    this.groupId = groupId;
    this.index = index;
  }

  public long groupId() {
    return groupId;
  }

  public long index() {
    return index;
  }
}
