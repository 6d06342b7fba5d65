package io.multiraft.core;

import java.util.List;

/**
 * A {@link LogStorage} over a {@link MemoryStorage} that can misbehave on cue: compact the log at
 * the start of the next {@link #entries} read (a compactor that ran between the core's term() and
 * entries() reads, lesson 5), or fail to produce a snapshot (lesson 10). Writes go to {@link #mem}.
 */
final class FaultyStorage implements LogStorage {
  final MemoryStorage mem;
  /** When > 0, the next entries() read first snapshots and compacts the log up to this index. */
  long compactOnNextEntriesRead;
  ConfState snapshotConf;
  /** When set, snapshot() throws it. */
  RuntimeException snapshotFailure;
  int compactions;
  int snapshotFailures;

  FaultyStorage(MemoryStorage mem) {
    this.mem = mem;
  }

  @Override
  public InitialState initialState() {
    return mem.initialState();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    if (compactOnNextEntriesRead > 0) {
      long at = compactOnNextEntriesRead;
      compactOnNextEntriesRead = 0;
      mem.createSnapshot(at, snapshotConf, TestCluster.bytes("state@" + at));
      mem.compact(at);
      compactions++;
    }
    return mem.entries(lo, hi, maxBytes);
  }

  @Override
  public long term(long index) {
    return mem.term(index);
  }

  @Override
  public long firstIndex() {
    return mem.firstIndex();
  }

  @Override
  public long lastIndex() {
    return mem.lastIndex();
  }

  @Override
  public Snapshot snapshot() {
    if (snapshotFailure != null) {
      snapshotFailures++;
      throw snapshotFailure;
    }
    return mem.snapshot();
  }
}
