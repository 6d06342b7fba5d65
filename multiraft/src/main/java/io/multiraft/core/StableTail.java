package io.multiraft.core;

import java.util.List;

/**
 * Entries already persisted but not yet applied, kept in memory so that applying them, and
 * replicating them to followers that are only slightly behind, read memory instead of the log
 * store (a store read per entry was a large share of a write's cost with many groups). Bounded in
 * bytes: past the bound the oldest entries are dropped and read from storage again.
 *
 * <p>Invariants: entries are consecutive, {@code arr[head + i].index() == offset + i}; when
 * non-empty, the last one is the entry just before the unstable part of the log, so the tail and
 * the unstable entries together form a suffix of the log. A cached entry is the log's entry at its
 * index for as long as it stays here: overwriting appends and snapshots truncate or clear it.
 */
final class StableTail {
  private static final Entry[] NONE = new Entry[0];

  private Entry[] arr = NONE;
  private int head;
  private int size;
  /** Index of {@code arr[head]}. */
  private long offset;
  private long bytes;
  private final long maxBytes;
  /**
   * The entry just before the cached ones (the last one dropped), or -1 if unknown. Its term is
   * what the next append's consistency check asks for (the leader's previous write is applied by
   * then), so it is kept without its payload: 16 bytes per group instead of a store read per write.
   */
  private long prevIndex = -1;
  private long prevTerm;

  StableTail(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The first cached index, meaningful only when not empty. */
  long firstIndex() {
    return offset;
  }

  /** The last cached index, meaningful only when not empty. */
  long lastIndex() {
    return offset + size - 1;
  }

  boolean contains(long i) {
    return size > 0 && i >= offset && i < offset + size;
  }

  /** The entry at {@code i}; the caller checked {@link #contains}. */
  Entry get(long i) {
    return arr[head + (int) (i - offset)];
  }

  /** The term at {@code i}, or -1 if not cached. */
  long term(long i) {
    if (contains(i)) {
      return get(i).term();
    }
    return i == prevIndex && i >= 0 ? prevTerm : -1;
  }

  /** The index of the entry known just before the cached ones (its term is known), or -1. */
  long prevIndex() {
    return prevIndex;
  }

  /** Entries {@code ents[from, to)} were persisted; they follow the cache or start it anew. */
  void add(List<Entry> ents, int from, int to) {
    if (from >= to) {
      return;
    }
    long first = ents.get(from).index();
    if ((size > 0 || prevIndex >= 0) && first != offset + size) {
      clear(); // not contiguous (cannot happen while the invariants hold, but never serve a gap)
    }
    if (size == 0) {
      offset = first;
      head = 0;
    }
    int n = to - from;
    ensureRoom(n);
    for (int i = from; i < to; i++) {
      Entry e = ents.get(i);
      arr[head + size++] = e;
      bytes += e.sizeBytes();
    }
    while (bytes > maxBytes && size > 0) {
      dropFirst();
    }
  }

  /** The log was overwritten from {@code i} on (a conflicting append): forget entries >= i. */
  void truncateFrom(long i) {
    if (i <= prevIndex) {
      clear();
      return;
    }
    if (size == 0 || i >= offset + size) {
      return;
    }
    if (i <= offset) {
      while (size > 0) {
        Entry e = arr[head + size - 1];
        arr[head + --size] = null;
        bytes -= e.sizeBytes();
      }
      return;
    }
    while (offset + size > i) {
      Entry e = arr[head + size - 1];
      arr[head + size - 1] = null;
      bytes -= e.sizeBytes();
      size--;
    }
  }

  /** Entries up to {@code i} were applied: nothing reads them from here again. */
  void dropThrough(long i) {
    while (size > 0 && offset <= i) {
      dropFirst();
    }
    if (size == 0) {
      head = 0;
      arr = NONE; // an idle group keeps no buffer (thousands of idle groups); the next write makes one
    }
  }

  /** Forgets everything, including the entry before the cached ones (a snapshot, a gap). */
  void clear() {
    // An idle group keeps no buffer: thousands of idle groups must not each hold one.
    arr = NONE;
    head = 0;
    size = 0;
    bytes = 0;
    prevIndex = -1;
  }

  private void dropFirst() {
    prevIndex = offset;
    prevTerm = arr[head].term();
    bytes -= arr[head].sizeBytes();
    arr[head] = null;
    head++;
    size--;
    offset++;
  }

  private void ensureRoom(int n) {
    if (head + size + n <= arr.length) {
      return;
    }
    int need = size + n;
    Entry[] to = need <= arr.length / 2 ? arr : new Entry[Math.max(4, Integer.highestOneBit(need) << 1)];
    System.arraycopy(arr, head, to, 0, size);
    if (to == arr) {
      java.util.Arrays.fill(arr, size, head + size, null);
    }
    arr = to;
    head = 0;
  }
}
