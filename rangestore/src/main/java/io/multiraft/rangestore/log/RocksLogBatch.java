package io.multiraft.rangestore.log;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.HardState;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.LogBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A {@link LogBatch} of the RocksDB store. Entries are encoded as they are added, on the raft worker
 * that fills the batch: key, value with its CRC32C, and the WriteBatch record around them
 * ({@link WriteBatchRep}). The single writer thread then only copies bytes: the expensive part of a
 * write is spread over the workers.
 */
final class RocksLogBatch implements LogBatch {
  final ArrayList<Op> ops = new ArrayList<>();
  /** The store's groups: each operation carries its group's log, looked up here, not by the writer. */
  private final LongFunction<GroupLog> logs;
  private final int logCfId;
  private int entryCount;
  private long bytes;

  RocksLogBatch(LongFunction<GroupLog> logs, int logCfId) {
    this.logs = logs;
    this.logCfId = logCfId;
  }

  /**
   * One change to one group's log. {@code incarnation} is the group's as the change was made: a
   * change made before the group was removed must not reach the store after the removal (the
   * runtime may have a write in flight when a group is removed), so the write drops it.
   */
  sealed interface Op permits Append, SetHardState, Reset, SetConfState {
    GroupLog log();

    long incarnation();
  }

  /**
   * Entries with their WriteBatch put records: entry i is bytes [offsets[i], offsets[i + 1]) of
   * {@code records}.
   */
  record Append(GroupLog log, List<Entry> entries, byte[] records, int[] offsets, long incarnation) implements Op {}

  record SetHardState(GroupLog log, HardState hardState, long incarnation) implements Op {}

  /** A snapshot install (hardState null) or a bootstrap: the log restarts empty after meta.index(). */
  record Reset(GroupLog log, SnapshotMeta meta, HardState hardState, long incarnation) implements Op {}

  record SetConfState(GroupLog log, ConfState confState, long incarnation) implements Op {}

  private GroupLog log(long groupId) {
    if (groupId <= 0) {
      throw new IllegalArgumentException("group ids are > 0, got " + groupId);
    }
    return logs.apply(groupId);
  }

  @Override
  public void append(long groupId, List<Entry> entries) {
    GroupLog log = log(groupId);
    int n = entries.size();
    if (n == 0) {
      return;
    }
    List<Entry> copy = List.copyOf(entries);
    long expect = copy.get(0).index();
    if (expect <= 0) {
      throw new IllegalArgumentException("group " + groupId + ": entry indexes start at 1, got " + expect);
    }
    int size = 0;
    for (int i = 0; i < n; i++) {
      Entry e = copy.get(i);
      if (e.index() != expect + i) {
        throw new IllegalArgumentException("group " + groupId + ": entries not contiguous at index " + e.index());
      }
      size += WriteBatchRep.putBytes(logCfId, LogKeys.LOG_KEY_BYTES, EntryCodec.HEADER_BYTES + e.data().length);
    }
    // each record written in place: no per-entry key or value arrays
    byte[] records = new byte[size];
    int[] offsets = new int[n + 1];
    int at = 0;
    for (int i = 0; i < n; i++) {
      Entry e = copy.get(i);
      offsets[i] = at;
      at = WriteBatchRep.putRecordStart(records, at, logCfId);
      at = WriteBatchRep.varint32(records, at, LogKeys.LOG_KEY_BYTES);
      int keyAt = at;
      LogKeys.putLong(records, at, groupId);
      LogKeys.putLong(records, at + 8, e.index());
      at += LogKeys.LOG_KEY_BYTES;
      at = WriteBatchRep.varint32(records, at, EntryCodec.HEADER_BYTES + e.data().length);
      at = EntryCodec.encodeInto(records, keyAt, at, e);
    }
    offsets[n] = at;
    bytes += at;
    entryCount += n;
    ops.add(new Append(log, copy, records, offsets, log.incarnation()));
  }

  @Override
  public void hardState(long groupId, HardState hardState) {
    GroupLog log = log(groupId);
    ops.add(new SetHardState(log, hardState, log.incarnation()));
    bytes += 38;
  }

  @Override
  public void snapshot(long groupId, SnapshotMeta meta) {
    GroupLog log = log(groupId);
    ops.add(new Reset(log, meta, null, log.incarnation()));
    bytes += 96;
  }

  @Override
  public void bootstrap(long groupId, SnapshotMeta initial, HardState hardState) {
    GroupLog log = log(groupId);
    ops.add(new Reset(log, initial, hardState, log.incarnation()));
    bytes += 134;
  }

  @Override
  public void confState(long groupId, ConfState confState) {
    GroupLog log = log(groupId);
    ops.add(new SetConfState(log, confState, log.incarnation()));
    bytes += 64;
  }

  @Override
  public int entryCount() {
    return entryCount;
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public boolean isEmpty() {
    return ops.isEmpty();
  }
}
