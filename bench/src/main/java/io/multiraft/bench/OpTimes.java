package io.multiraft.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;

/** Durations of a scenario's timed operations (few enough to keep every one) and their wall time. */
final class OpTimes {
  private final long[] nanos;
  private final long wallNanos;

  private OpTimes(long[] nanos, long wallNanos) {
    this.nanos = nanos.clone();
    Arrays.sort(this.nanos);
    this.wallNanos = wallNanos;
  }

  /** Runs {@code op(0..n-1)} on {@code threads} threads, each taking the next index; a failure fails the run. */
  static OpTimes parallel(int n, int threads, IntConsumer op) throws InterruptedException {
    long[] out = new long[n];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread[] ts = new Thread[Math.min(threads, Math.max(1, n))];
    long t0 = System.nanoTime();
    for (int t = 0; t < ts.length; t++) {
      ts[t] = new Thread(() -> {
        for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
          long s = System.nanoTime();
          try {
            op.accept(i);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            return;
          }
          out[i] = System.nanoTime() - s;
        }
      }, "bench-op-" + t);
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return new OpTimes(out, System.nanoTime() - t0);
  }

  /** Runs {@code op(0..n-1)} one after another; {@code op} returns the nanoseconds of the part it times. */
  static OpTimes serial(int n, IntToLongFunction op) {
    long[] out = new long[n];
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      out[i] = op.applyAsLong(i);
    }
    return new OpTimes(out, System.nanoTime() - t0);
  }

  /** Runs {@code r} and returns its duration in nanoseconds. */
  static long timed(Runnable r) {
    long s = System.nanoTime();
    r.run();
    return System.nanoTime() - s;
  }

  double perSecond() {
    return wallNanos == 0 ? 0 : nanos.length * 1e9 / wallNanos;
  }

  double meanMs() {
    return nanos.length == 0 ? 0 : Arrays.stream(nanos).average().orElse(0) / 1e6;
  }

  double p50Ms() {
    return quantileMs(0.5);
  }

  double maxMs() {
    return nanos.length == 0 ? 0 : nanos[nanos.length - 1] / 1e6;
  }

  private double quantileMs(double q) {
    return nanos.length == 0 ? 0 : nanos[(int) Math.min(nanos.length - 1, Math.floor(q * nanos.length))] / 1e6;
  }

  /** Puts {@code <name>_count}, {@code _mean_ms}, {@code _p50_ms}, {@code _p99_ms} and {@code _max_ms}. */
  void report(Map<String, Object> out, String name) {
    out.put(name + "_count", (long) nanos.length);
    out.put(name + "_mean_ms", meanMs());
    out.put(name + "_p50_ms", p50Ms());
    out.put(name + "_p99_ms", quantileMs(0.99));
    out.put(name + "_max_ms", maxMs());
  }
}
