package io.multiraft.spi;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.HardState;
import io.multiraft.core.SnapshotMeta;
import java.util.List;

/**
 * Writes for many groups, collected in one duty cycle and persisted together by {@link LogStore#write}.
 * Operations take effect in the order they were added, also across the batches of one write. A batch
 * is filled by one thread and must not be changed after it was handed to the store (or a writer).
 * Group ids are > 0, as in {@code RaftConfig}.
 */
public interface LogBatch {

  /**
   * Appends entries to a group's log, replacing any existing entries from the first one's index on.
   * The entries are contiguous; the first may not lie beyond the group's last index + 1 (a gap makes
   * the whole write fail with {@link IllegalArgumentException}, nothing written). Entries at or below
   * the compaction point are skipped. The list and the entries must not change afterwards.
   */
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

  /**
   * Records a group's membership after a configuration change was applied, so that
   * {@code initialState()} after a restart matches the applied index the state machine reports.
   * (Snapshots and bootstraps record their membership themselves.)
   */
  void confState(long groupId, ConfState confState);

  /** Entries in the batch, for batch-size limits and metrics. */
  int entryCount();

  /** Approximate bytes in the batch. */
  long bytes();

  boolean isEmpty();
}
