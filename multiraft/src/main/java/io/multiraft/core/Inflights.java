package io.multiraft.core;

/**
 * The sliding window of append messages sent to one follower and not yet acknowledged, bounded by
 * count and by bytes (lesson 1). A ring buffer that starts empty and grows on demand up to
 * {@code capacity}: thousands of groups must not each pay for a full window they rarely use.
 */
final class Inflights {
  private final int capacity;
  private final long maxBytes;
  private static final long[] NONE = new long[0];

  private long[] indexes = NONE;
  private long[] sizes = NONE;
  private int start;
  private int count;
  private long bytes;

  Inflights(int capacity, long maxBytes) {
    Invariants.check(capacity > 0, "inflight capacity must be positive, got %d", capacity);
    this.capacity = capacity;
    this.maxBytes = maxBytes <= 0 ? Long.MAX_VALUE : maxBytes;
  }

  /** Records a message whose last entry is {@code index}, carrying {@code size} bytes of entries. */
  void add(long index, long size) {
    Invariants.check(!full(), "cannot add into a full inflights window (%d messages, %d bytes)", count, bytes);
    if (count == indexes.length) {
      grow();
    }
    int slot = (start + count) % indexes.length;
    indexes[slot] = index;
    sizes[slot] = size;
    count++;
    bytes += size;
  }

  private void grow() {
    int newSize = indexes.length == 0 ? 1 : Math.min(capacity, indexes.length * 2);
    long[] ni = new long[newSize];
    long[] ns = new long[newSize];
    for (int i = 0; i < count; i++) {
      int slot = (start + i) % indexes.length;
      ni[i] = indexes[slot];
      ns[i] = sizes[slot];
    }
    indexes = ni;
    sizes = ns;
    start = 0;
  }

  /** Frees every message whose last index is <= {@code to}: they were acknowledged. */
  void freeLE(long to) {
    if (count == 0 || to < indexes[start]) {
      return;
    }
    int idx = start;
    int i;
    for (i = 0; i < count; i++) {
      if (to < indexes[idx]) {
        break;
      }
      bytes -= sizes[idx];
      idx = (idx + 1) % indexes.length;
    }
    count -= i;
    start = idx;
    if (count == 0) {
      start = 0;
    }
  }

  /** Frees the oldest message: a heartbeat response proved the follower alive (lesson 1). */
  void freeFirstOne() {
    if (count > 0) {
      freeLE(indexes[start]);
    }
  }

  boolean full() {
    return count == capacity || bytes >= maxBytes;
  }

  int count() {
    return count;
  }

  long bytes() {
    return bytes;
  }

  /** Slots currently allocated, to show that an idle window costs nothing. */
  int allocated() {
    return indexes.length;
  }

  /** Drops the buffers of an empty window; they are allocated again when needed. */
  void release() {
    if (count == 0 && indexes.length > 0) {
      indexes = NONE;
      sizes = NONE;
      start = 0;
    }
  }

  void reset() {
    count = 0;
    start = 0;
    bytes = 0;
  }
}
