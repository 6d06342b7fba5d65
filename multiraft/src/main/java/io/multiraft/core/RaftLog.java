package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One group's log as the core sees it: what storage holds plus what is not yet persisted.
 * Invariant: applied <= applying <= committed <= lastIndex.
 */
final class RaftLog {
  final LogStorage storage;
  final Unstable unstable;
  /** Highest index known to be stored on a quorum. */
  long committed;
  /** Highest index handed to the application for applying. */
  long applying;
  /** Highest index the application reported applied. */
  long applied;
  private final long maxApplyingBytes;
  /** Persisted entries not yet applied, read instead of storage (bounded per group). */
  final StableTail tail = new StableTail(TAIL_MAX_BYTES);
  static final long TAIL_MAX_BYTES = 256 * 1024;

  RaftLog(LogStorage storage, long maxApplyingBytes) {
    this.storage = storage;
    this.maxApplyingBytes = maxApplyingBytes;
    long first = storage.firstIndex();
    long last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    this.committed = first - 1;
    this.applying = first - 1;
    this.applied = first - 1;
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i >= 0 ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    if (i >= 0) {
      return i;
    }
    // The tail ends just before the unstable part: with nothing unstable, it ends the log.
    if (!tail.isEmpty()) {
      return tail.lastIndex();
    }
    long prev = tail.prevIndex();
    return prev >= 0 && prev == unstable.offset - 1 && unstable.snapshot == null ? prev : storage.lastIndex();
  }

  long lastTerm() {
    return termOrZero(lastIndex());
  }

  /** The highest index that is durable here (what this replica may acknowledge). */
  long persistedIndex() {
    if (unstable.snapshot != null) {
      // Conservative: nothing of the incoming snapshot counts until it is persisted.
      return Math.min(storage.lastIndex(), unstable.snapshot.index() - 1);
    }
    return unstable.offset - 1;
  }

  /**
   * The term at {@code i}.
   *
   * @throws StorageException.Compacted if {@code i} is before the first index - 1
   * @throws StorageException.Unavailable if {@code i} is after the last index
   */
  long term(long i) {
    long t = unstable.maybeTerm(i);
    if (t < 0) {
      t = tail.term(i);
    }
    if (t >= 0) {
      return t;
    }
    long dummy = firstIndex() - 1;
    if (i < dummy) {
      throw new StorageException.Compacted(i, dummy + 1);
    }
    if (i > lastIndex()) {
      throw new StorageException.Unavailable(i, lastIndex());
    }
    return storage.term(i);
  }

  /** The term at {@code i}, or 0 when compacted or beyond the log. */
  long termOrZero(long i) {
    long t = unstable.maybeTerm(i);
    if (t < 0) {
      t = tail.term(i);
    }
    if (t >= 0) {
      return t;
    }
    // Checked here rather than by catching term()'s exception: appends probe past the last index
    // routinely, and building the exception's message was a measurable share of a write's cost.
    if (i > lastIndex() || i < firstIndex() - 1) {
      return 0;
    }
    try {
      return storage.term(i);
    } catch (StorageException e) {
      return 0;
    }
  }

  boolean matchTerm(long i, long t) {
    long ours = termOrZero(i);
    return ours != 0 ? ours == t : t == 0 && i == 0;
  }

  /** Raft §5.4.1: is a candidate's log at least as up to date as ours? */
  boolean isUpToDate(long lastIndex, long lastTerm) {
    long ourTerm = lastTerm();
    return lastTerm > ourTerm || (lastTerm == ourTerm && lastIndex >= lastIndex());
  }

  /**
   * Appends entries following {@code (index, logTerm)} if that entry matches; returns the last new
   * index, or -1 if it does not match. Commits up to min(committed, last new index) (lesson 4).
   */
  long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> ents) {
    if (!matchTerm(index, logTerm)) {
      return -1;
    }
    long lastNew = index + ents.size();
    long conflict = findConflict(ents);
    if (conflict != 0) {
      Invariants.check(conflict > committed, "entry %d conflicts with committed entry (committed %d)", conflict, committed);
      append(ents.subList((int) (conflict - (index + 1)), ents.size()));
    }
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    long after = ents.get(0).index() - 1;
    Invariants.check(after >= committed, "appending after %d is below committed %d", after, committed);
    tail.truncateFrom(after + 1);
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  /** The first index whose term differs from ours (or that we lack), or 0 if all match. */
  private long findConflict(List<Entry> ents) {
    for (int i = 0; i < ents.size(); i++) {
      Entry e = ents.get(i);
      if (!matchTerm(e.index(), e.term())) {
        return e.index();
      }
    }
    return 0;
  }

  /**
   * Fast backtracking: the largest index <= {@code index} whose term is <= {@code term}, with its
   * term, packed as {index, term}. Stops at the first index we can no longer read.
   */
  long[] findConflictByTerm(long index, long term) {
    long i = index;
    while (i > 0) {
      long t;
      try {
        t = term(i);
      } catch (StorageException e) {
        return new long[] {i, 0};
      }
      if (t <= term) {
        return new long[] {i, t};
      }
      i--;
    }
    return new long[] {0, 0};
  }

  void commitTo(long index) {
    if (committed < index) {
      Invariants.check(index <= lastIndex(), "commit %d is out of range [last index %d]", index, lastIndex());
      committed = index;
    }
  }

  /** Committed entries not yet handed out, bounded in bytes (at least one). */
  List<Entry> nextCommittedEntries(long maxBytes) {
    long lo = applying + 1;
    long hi = committed + 1;
    if (lo >= hi) {
      return List.of();
    }
    long budget = Math.max(1, Math.min(maxBytes, maxApplyingBytes));
    try {
      return slice(lo, hi, budget);
    } catch (StorageException.Compacted e) {
      // Applied state was snapshotted past what we wanted to hand out: nothing to apply from the log.
      return List.of();
    }
  }

  boolean hasNextCommittedEntries() {
    if (committed <= applying) {
      return false;
    }
    long next = applying + 1;
    // Cheap cases first: the next entry is in memory, so not compacted (no storage call).
    return tail.contains(next) || (unstable.snapshot == null && next >= unstable.offset) || next >= firstIndex();
  }

  void acceptApplying(long index) {
    Invariants.check(index <= committed, "applying %d beyond committed %d", index, committed);
    if (index > applying) {
      applying = index;
    }
  }

  void appliedTo(long index) {
    if (index == 0) {
      return;
    }
    Invariants.check(index <= committed, "applied %d beyond committed %d", index, committed);
    if (index > applied) {
      applied = index;
    }
    if (applied > applying) {
      applying = applied;
    }
    tail.dropThrough(applied);
  }

  void stableTo(long index, long term) {
    unstable.stableTo(index, term, tail);
  }

  void stableSnapTo(long index) {
    unstable.stableSnapTo(index);
  }

  List<Entry> unstableEntries() {
    // Immutable, so a log store that keeps the list (List.copyOf) takes it without a second copy.
    return unstable.entries.isEmpty() ? List.of() : List.copyOf(unstable.entries);
  }

  /** Entries from {@code i} to the end, at most {@code maxBytes} (at least one). */
  List<Entry> entries(long i, long maxBytes) {
    if (i > lastIndex()) {
      return List.of();
    }
    return slice(i, lastIndex() + 1, maxBytes);
  }

  /** Entries in [lo, hi), at most {@code maxBytes} after the first; may throw Compacted. */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    boolean inMemory = tail.contains(lo) || (unstable.snapshot == null && lo >= unstable.offset);
    if (!inMemory) {
      long first = firstIndex();
      if (lo < first) {
        throw new StorageException.Compacted(lo, first);
      }
    }
    Invariants.check(hi <= lastIndex() + 1, "slice [%d,%d) beyond last index %d", lo, hi, lastIndex());
    if (lo == hi) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>((int) Math.min(hi - lo, 16)); // most slices are an entry or two
    if (lo < unstable.offset && tail.contains(lo) && tail.lastIndex() == unstable.offset - 1) {
      // In memory up to the unstable part: the same byte limit as storage.entries().
      long end = Math.min(hi, unstable.offset);
      long size = 0;
      for (long i = lo; i < end; i++) {
        Entry e = tail.get(i);
        size += e.sizeBytes();
        if (!out.isEmpty() && size > maxBytes) {
          return out;
        }
        out.add(e);
      }
    } else if (lo < unstable.offset) {
      List<Entry> stored = storage.entries(lo, Math.min(hi, unstable.offset), maxBytes);
      if (stored.size() < Math.min(hi, unstable.offset) - lo) {
        return stored; // byte limit reached in storage
      }
      out.addAll(stored);
    }
    if (hi > unstable.offset) {
      long size = Entry.sizeBytes(out);
      List<Entry> ents = unstable.slice(Math.max(lo, unstable.offset), hi);
      for (int i = 0; i < ents.size(); i++) { // indexed: no iterator per slice
        Entry e = ents.get(i);
        size += e.sizeBytes();
        if (!out.isEmpty() && size > maxBytes) {
          break;
        }
        out.add(e);
      }
    }
    return out;
  }

  Snapshot snapshot() {
    if (unstable.snapshot != null) {
      return unstable.snapshot;
    }
    return storage.snapshot();
  }

  void restore(Snapshot s) {
    committed = s.index();
    tail.clear();
    unstable.restore(s);
  }
}
