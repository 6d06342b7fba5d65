package io.multiraft.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects items and says when to flush them: by count, by bytes, or by the age of the oldest item.
 * Time only comes in as {@code nowNs} arguments, never from a clock read here, so a test or a
 * simulator drives it with virtual time. Not thread-safe: one owner adds and drains.
 */
public final class BatchAccumulator<T> {
  private final BatchLimits limits;
  private final Sizer<? super T> sizer;
  private final ArrayList<T> items = new ArrayList<>();
  private long bytes;
  /** When the oldest item in the batch was added; meaningless while empty. */
  private long firstAddedNs;

  public BatchAccumulator(BatchLimits limits, Sizer<? super T> sizer) {
    this.limits = limits;
    this.sizer = sizer;
  }

  /** Adds an item at time {@code nowNs}; returns whether the batch is now full and must be flushed. */
  public boolean add(T item, long nowNs) {
    if (items.isEmpty()) {
      firstAddedNs = nowNs;
    }
    items.add(item);
    bytes += sizer.sizeOf(item);
    return isFull();
  }

  /** Full by count or bytes: adding more would only grow a batch that is already due. */
  public boolean isFull() {
    return items.size() >= limits.maxItems() || bytes >= limits.maxBytes();
  }

  /** Full, or not empty and its oldest item has waited the maximum age. */
  public boolean shouldFlush(long nowNs) {
    if (isFull()) {
      return true;
    }
    // nanoTime-style difference, so a clock that wraps still compares correctly
    return !items.isEmpty() && limits.maxAgeNs() != BatchLimits.NO_AGE_LIMIT && nowNs - firstAddedNs >= limits.maxAgeNs();
  }

  /**
   * When the age limit will make the batch due, for the owner's timer; {@link Long#MAX_VALUE} when
   * empty or without an age limit.
   */
  public long deadlineNs() {
    if (items.isEmpty() || limits.maxAgeNs() == BatchLimits.NO_AGE_LIMIT) {
      return Long.MAX_VALUE;
    }
    long deadline = firstAddedNs + limits.maxAgeNs();
    return deadline < firstAddedNs ? Long.MAX_VALUE : deadline; // overflow: effectively never
  }

  /** Hands the items, in the order added, to {@code sink} and empties the batch. */
  public int drainTo(List<? super T> sink) {
    int n = items.size();
    sink.addAll(items);
    items.clear();
    bytes = 0;
    return n;
  }

  /** The items in the order added, emptying the batch. */
  public List<T> drain() {
    List<T> out = new ArrayList<>(items.size());
    drainTo(out);
    return out;
  }

  public int size() {
    return items.size();
  }

  public long bytes() {
    return bytes;
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }
}
