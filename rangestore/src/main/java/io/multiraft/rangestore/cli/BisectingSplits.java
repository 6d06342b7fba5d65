package io.multiraft.rangestore.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Cuts one range at many sorted keys on several threads at once. Splitting at the keys in order
 * would cut the same (rightmost) range every time, one split after another; splitting at the middle
 * key first and then at the middles of both halves keeps every split in flight on a different
 * range, so they run in parallel without meeting each other's generation bumps.
 */
public final class BisectingSplits {
  private final Consumer<byte[]> splitAt;
  private final List<byte[]> keys;
  private final ExecutorService pool;
  private final CountDownLatch left;
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private BisectingSplits(Consumer<byte[]> splitAt, List<byte[]> keys, int threads) {
    this.splitAt = splitAt;
    this.keys = keys;
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "bisecting-split");
      t.setDaemon(true);
      return t;
    });
    this.left = new CountDownLatch(keys.size());
  }

  /**
   * Calls {@code splitAt} once for every key of {@code sortedKeys} (ascending, distinct, all inside
   * one range), at most {@code threads} at a time; returns when all are done, or throws the first
   * failure once the splits already running have finished.
   */
  public static void run(Consumer<byte[]> splitAt, List<byte[]> sortedKeys, int threads) throws InterruptedException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    BisectingSplits b = new BisectingSplits(splitAt, sortedKeys, threads);
    try {
      b.submit(0, sortedKeys.size());
      b.left.await();
    } finally {
      b.pool.shutdownNow();
      b.pool.awaitTermination(1, TimeUnit.MINUTES);
    }
    if (b.failure.get() != null) {
      throw b.failure.get();
    }
  }

  /** Splits at the middle of keys[from, to), then hands both halves on. */
  private void submit(int from, int to) {
    if (from >= to) {
      return;
    }
    pool.execute(() -> {
      int mid = (from + to) >>> 1;
      try {
        if (failure.get() == null) {
          splitAt.accept(keys.get(mid));
        }
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      } catch (Error e) {
        failure.compareAndSet(null, new IllegalStateException("split at key " + mid + " failed", e));
      } finally {
        submit(from, mid);
        submit(mid + 1, to);
        left.countDown();
      }
    });
  }
}
