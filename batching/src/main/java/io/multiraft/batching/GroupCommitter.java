package io.multiraft.batching;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.MpscArrayQueue;

/**
 * Group commit: many producer threads submit items, one flusher persists everything pending as one
 * unit (one write, one sync) and then completes each item with the outcome. While a flush runs,
 * producers keep submitting, so the next flush is already filling: pipelining without extra threads.
 *
 * <p>Producers never block: {@link #submit} returns false when the bounded queue is full, which
 * means "overloaded, push back". The thread that calls {@link #flush} is the caller's (a
 * {@link FlushLoop} in production, a deterministic simulator in tests); flushes must not overlap.
 *
 * <p>Order: items of one producer are flushed, and completed, in the order it submitted them.
 */
public final class GroupCommitter<T> {
  private final MpscArrayQueue<Pending<T>> queue;
  private final BatchLimits limits;
  private final Sizer<? super T> sizer;
  private final Flusher<T> flusher;
  /** Reused between flushes; only the thread holding {@link #consuming} touches them. */
  private final ArrayList<Pending<T>> batch = new ArrayList<>();
  private final ArrayList<T> items = new ArrayList<>();
  /** The single-consumer guard: flush and the drain of close take it, so the queue has one reader. */
  private final AtomicBoolean consuming = new AtomicBoolean();
  private volatile Throwable closedBy;

  /**
   * @param capacity pending items before {@link #submit} refuses (rounded up to a power of two)
   * @param limits the most items and bytes one flush takes; the age limit is not used here, the
   *     flusher's caller decides when to flush
   */
  public GroupCommitter(int capacity, BatchLimits limits, Sizer<? super T> sizer, Flusher<T> flusher) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity must be >= 2, got " + capacity);
    }
    this.queue = new MpscArrayQueue<>(capacity);
    this.limits = Objects.requireNonNull(limits, "limits");
    this.sizer = Objects.requireNonNull(sizer, "sizer");
    this.flusher = Objects.requireNonNull(flusher, "flusher");
  }

  /**
   * Queues an item; its completion runs after the flush that carries it.
   *
   * @return false if the queue is full (overloaded): the item was not taken, nothing will complete
   * @throws IllegalStateException if the committer was closed
   */
  public boolean submit(T item, Completion completion) {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(completion, "completion");
    Throwable closed = closedBy;
    if (closed != null) {
      throw new IllegalStateException("group committer is closed: " + closed.getMessage(), closed);
    }
    if (!queue.offer(new Pending<>(item, completion))) {
      return false;
    }
    if (closedBy != null) {
      // close() ran between our check and our offer and may have drained before the offer landed:
      // fail what is left so that no completion is lost.
      failRemaining();
    }
    return true;
  }

  /**
   * Takes the pending items up to the limits, hands them to the flusher as one list and completes
   * each with the result. Returns how many items it flushed (0 when idle), as an agent's work count.
   *
   * @throws IllegalStateException if another thread is flushing
   * @throws RuntimeException the first exception a completion threw, after every completion ran
   */
  public int flush() {
    if (!consuming.compareAndSet(false, true)) {
      throw new IllegalStateException("flush() called while another flush runs: group commit has one flusher thread");
    }
    try {
      Throwable closed = closedBy;
      if (closed != null) {
        return drainFailing(closed);
      }
      return flushPending();
    } finally {
      consuming.set(false);
    }
  }

  private int flushPending() {
    long bytes = 0;
    Pending<T> p;
    while (batch.size() < limits.maxItems() && bytes < limits.maxBytes() && (p = queue.poll()) != null) {
      batch.add(p);
      items.add(p.item);
      bytes += sizer.sizeOf(p.item);
    }
    int n = batch.size();
    if (n == 0) {
      return 0;
    }
    try {
      Throwable failure = null;
      try {
        flusher.flush(items);
      } catch (Throwable t) {
        failure = t;
      }
      RuntimeException completionError = completeAll(batch, failure);
      if (failure instanceof Error error) {
        throw error; // the items know; an Error (out of memory) must still reach the thread's handler
      }
      if (completionError != null) {
        throw completionError;
      }
      return n;
    } finally {
      batch.clear();
      items.clear();
    }
  }

  /** Completes every item, even if some completions throw; returns the first such exception. */
  private static <T> RuntimeException completeAll(ArrayList<Pending<T>> batch, Throwable failure) {
    RuntimeException first = null;
    for (int i = 0; i < batch.size(); i++) {
      try {
        batch.get(i).completion.complete(failure);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }

  /** Pending items, approximately (producers may be adding). */
  public int pending() {
    return queue.size();
  }

  public int capacity() {
    return queue.capacity();
  }

  /**
   * Refuses further submissions and fails every pending item with {@code reason}. Waits for a
   * flush in progress to finish; items it carries complete normally.
   */
  public void close(Throwable reason) {
    Objects.requireNonNull(reason, "reason");
    if (closedBy == null) {
      closedBy = reason;
    }
    failRemaining();
  }

  public boolean isClosed() {
    return closedBy != null;
  }

  private void failRemaining() {
    while (!queue.isEmpty()) {
      if (consuming.compareAndSet(false, true)) {
        try {
          drainFailing(closedBy);
        } finally {
          consuming.set(false);
        }
      } else {
        Thread.onSpinWait(); // a flush is running; its end is bounded by one write
      }
    }
  }

  private int drainFailing(Throwable reason) {
    int n = 0;
    Pending<T> p;
    while ((p = queue.poll()) != null) {
      batch.add(p);
      n++;
    }
    try {
      RuntimeException completionError = completeAll(batch, reason);
      if (completionError != null) {
        throw completionError;
      }
    } finally {
      batch.clear();
    }
    return n;
  }

  private record Pending<T>(T item, Completion completion) {}
}
