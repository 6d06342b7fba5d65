package io.multiraft.spi;

import io.multiraft.core.Entry;
import io.multiraft.core.HardState;
import io.multiraft.core.SnapshotMeta;
import java.util.List;

/** Writes for many groups, collected in one duty cycle and persisted together by {@link LogStore#write}. */
public interface LogBatch {

  /** Appends entries to a group's log, replacing any existing entries from the first one's index on. */
  void append(long groupId, List<Entry> entries);

  void hardState(long groupId, HardState hardState);

  /**
   * A snapshot was installed: the group's log is replaced by an empty one after
   * {@code meta.index()}, and the membership as of the snapshot is recorded.
   */
  void snapshot(long groupId, SnapshotMeta meta);

  /**
   * Creates a group at a known state (new groups, the right side of a split): an empty log after
   * {@code initial.index()} at {@code initial.term()}, its membership, and a hard state.
   */
  void bootstrap(long groupId, SnapshotMeta initial, HardState hardState);

  /** Entries in the batch, for batch-size limits and metrics. */
  int entryCount();

  /** Approximate bytes in the batch. */
  long bytes();

  boolean isEmpty();
}
