package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link LogStorage} with the write side a runtime needs: for tests, the demo and the
 * simulator. All methods share one monitor, so a compactor thread and the raft worker never see
 * entries out of order (lesson 6).
 *
 * <p>Layout: {@code entries.get(0)} is a dummy standing for the snapshot/compaction point; its index
 * is firstIndex - 1 and its term is the term there.
 */
public final class MemoryStorage implements LogStorage {
  private HardState hardState = HardState.EMPTY;
  private Snapshot snapshot = Snapshot.EMPTY;
  private final ArrayList<Entry> entries = new ArrayList<>();
  private boolean snapshotUnavailable;

  public MemoryStorage() {
    entries.add(Entry.empty(0, 0));
  }

  /** A storage whose log starts after {@code index} at {@code term} with the given membership. */
  public static MemoryStorage at(long index, long term, ConfState confState) {
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(new Snapshot(new SnapshotMeta(index, term, confState), new byte[0]));
    if (index > 0) {
      s.setHardState(new HardState(term, 0, index));
    }
    return s;
  }

  /** A fresh group with the given voters at index 0. */
  public static MemoryStorage withVoters(long... voters) {
    return at(0, 0, ConfState.ofVoters(voters));
  }

  @Override
  public synchronized InitialState initialState() {
    return new InitialState(hardState, snapshot.meta().confState());
  }

  public synchronized HardState hardState() {
    return hardState;
  }

  public synchronized void setHardState(HardState hs) {
    hardState = hs;
  }

  @Override
  public synchronized List<Entry> entries(long lo, long hi, long maxBytes) {
    long offset = entries.get(0).index();
    if (lo <= offset) {
      throw new StorageException.Compacted(lo, offset + 1);
    }
    if (hi > lastIndexLocked() + 1) {
      throw new StorageException.Unavailable(hi - 1, lastIndexLocked());
    }
    int from = (int) (lo - offset);
    int to = (int) (hi - offset);
    List<Entry> out = new ArrayList<>(to - from);
    long size = 0;
    for (int i = from; i < to; i++) {
      Entry e = entries.get(i);
      size += e.sizeBytes();
      if (!out.isEmpty() && size > maxBytes) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  @Override
  public synchronized long term(long index) {
    long offset = entries.get(0).index();
    if (index < offset) {
      throw new StorageException.Compacted(index, offset + 1);
    }
    if (index > lastIndexLocked()) {
      throw new StorageException.Unavailable(index, lastIndexLocked());
    }
    return entries.get((int) (index - offset)).term();
  }

  @Override
  public synchronized long firstIndex() {
    return entries.get(0).index() + 1;
  }

  @Override
  public synchronized long lastIndex() {
    return lastIndexLocked();
  }

  private long lastIndexLocked() {
    return entries.get(0).index() + entries.size() - 1;
  }

  @Override
  public synchronized Snapshot snapshot() {
    if (snapshotUnavailable) {
      throw new StorageException.SnapshotTemporarilyUnavailable("marked unavailable");
    }
    return snapshot;
  }

  /** Makes {@link #snapshot()} refuse, as a node at its limit of concurrent snapshot sends does. */
  public synchronized void setSnapshotUnavailable(boolean unavailable) {
    snapshotUnavailable = unavailable;
  }

  /** Replaces the whole log by a received snapshot. Older snapshots are ignored. */
  public synchronized boolean applySnapshot(Snapshot snap) {
    if (snap.index() < snapshot.index() || (snap.index() == snapshot.index() && !snapshot.isEmpty())) {
      return false;
    }
    snapshot = snap;
    entries.clear();
    entries.add(Entry.empty(snap.term(), snap.index()));
    return true;
  }

  /** Records a snapshot of the state machine as of {@code index}, which must be applied already. */
  public synchronized Snapshot createSnapshot(long index, ConfState confState, byte[] data) {
    if (index <= snapshot.index()) {
      return snapshot;
    }
    long offset = entries.get(0).index();
    Invariants.check(index <= lastIndexLocked(), "snapshot index %d beyond last index %d", index, lastIndexLocked());
    snapshot = new Snapshot(new SnapshotMeta(index, entries.get((int) (index - offset)).term(), confState), data);
    return snapshot;
  }

  /** Discards entries up to and including {@code index}; returns false if already compacted there. */
  public synchronized boolean compact(long index) {
    long offset = entries.get(0).index();
    if (index <= offset) {
      return false;
    }
    Invariants.check(index <= lastIndexLocked(), "compact %d beyond last index %d", index, lastIndexLocked());
    Entry dummy = Entry.empty(entries.get((int) (index - offset)).term(), index);
    entries.subList(0, (int) (index - offset)).clear();
    entries.set(0, dummy);
    return true;
  }

  /** Appends entries, replacing any conflicting suffix. Entries must be contiguous. */
  public synchronized void append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return;
    }
    long first = entries.get(0).index() + 1;
    long last = ents.get(ents.size() - 1).index();
    if (last < first) {
      return; // entirely compacted already
    }
    List<Entry> toAdd = ents;
    if (first > ents.get(0).index()) {
      toAdd = ents.subList((int) (first - ents.get(0).index()), ents.size());
    }
    long offset = toAdd.get(0).index() - entries.get(0).index();
    Invariants.check(offset <= entries.size(), "missing log entry: last %d, appending at %d", lastIndexLocked(), toAdd.get(0).index());
    entries.subList((int) offset, entries.size()).clear();
    entries.addAll(toAdd);
  }
}
