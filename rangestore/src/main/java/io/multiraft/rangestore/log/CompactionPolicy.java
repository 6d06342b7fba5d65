package io.multiraft.rangestore.log;

/**
 * How far to compact a group's log after a snapshot: keep {@code marginEntries} entries behind the
 * snapshot index so a follower slightly behind is still served from the log (in memory or on disk)
 * rather than with a whole snapshot (lesson 7).
 */
public record CompactionPolicy(long marginEntries) {
  /** Nothing to compact. */
  public static final long NONE = 0;

  public CompactionPolicy {
    if (marginEntries < 0) {
      throw new IllegalArgumentException("marginEntries must be >= 0, got " + marginEntries);
    }
  }

  /**
   * The index to pass to {@code LogStore.compact} after a snapshot at {@code snapshotIndex}, given
   * the group's current first index; {@link #NONE} when the margin leaves nothing to compact.
   */
  public long compactIndex(long snapshotIndex, long firstIndex) {
    long to = snapshotIndex - marginEntries;
    return to >= firstIndex ? to : NONE;
  }
}
