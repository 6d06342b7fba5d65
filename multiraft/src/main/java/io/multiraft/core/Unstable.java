package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries and a snapshot not yet persisted. Invariant: if {@code snapshot} is set, {@code offset}
 * == snapshot index + 1; {@code entries.get(i).index() == offset + i}.
 */
final class Unstable {
  Snapshot snapshot;
  final ArrayList<Entry> entries = new ArrayList<>();
  long offset;

  Unstable(long offset) {
    this.offset = offset;
  }

  /** The first index if only a snapshot is here, else -1. */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.index() + 1 : -1;
  }

  long maybeLastIndex() {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    return snapshot != null ? snapshot.index() : -1;
  }

  /** The term at {@code i} if known here, else -1. */
  long maybeTerm(long i) {
    if (i < offset) {
      if (snapshot != null && snapshot.index() == i) {
        return snapshot.term();
      }
      return -1;
    }
    long last = maybeLastIndex();
    if (last < 0 || i > last) {
      return -1;
    }
    return entries.get((int) (i - offset)).term();
  }

  /** Entries up to {@code (index, term)} were persisted: drop them if they are still ours. */
  void stableTo(long index, long term, StableTail tail) {
    long t = maybeTerm(index);
    if (t < 0 || t != term || index < offset) {
      return; // a newer append replaced them, or a snapshot covers them
    }
    tail.add(entries, 0, (int) (index + 1 - offset));
    entries.subList(0, (int) (index + 1 - offset)).clear();
    if (entries.isEmpty()) {
      entries.trimToSize(); // an idle group keeps no buffer
    }
    offset = index + 1;
  }

  void stableSnapTo(long index) {
    if (snapshot != null && snapshot.index() == index) {
      snapshot = null;
    }
  }

  void restore(Snapshot s) {
    offset = s.index() + 1;
    entries.clear();
    snapshot = s;
  }

  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).index();
    if (after == offset + entries.size()) {
      entries.addAll(ents);
    } else if (after <= offset) {
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  List<Entry> slice(long lo, long hi) {
    if (lo < offset || hi > offset + entries.size() || lo > hi) { // tested first: the message's varargs box
      Invariants.check(false, "unstable slice [%d,%d) out of bound [%d,%d]", lo, hi, offset, offset + entries.size());
    }
    return entries.subList((int) (lo - offset), (int) (hi - offset));
  }
}
