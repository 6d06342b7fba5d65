package io.multiraft.core;

/** Where a snapshot stands in the log and the membership as of that point. */
public record SnapshotMeta(long index, long term, ConfState confState) {
  public static final SnapshotMeta EMPTY = new SnapshotMeta(0, 0, ConfState.EMPTY);

  public SnapshotMeta {
    // Kept for every group (log stores hold the last one): share the membership instance.
    confState = confState == null ? null : confState.intern();
  }

  public boolean isEmpty() {
    return index == 0;
  }
}
