package io.multiraft.bench;

import io.multiraft.rangestore.cli.DemoTarget;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Writers that keep a range store busy while a scenario splits and merges it: each thread writes
 * fresh keys anywhere in the key space, one write in flight, and remembers every acknowledged
 * write so that the scenario can read them all back. A failed write is counted, not retried: the
 * cluster's client already retries what is transient.
 */
final class BackgroundWriters implements AutoCloseable {
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, byte[]> acked = new ConcurrentHashMap<>();
  private final Recorder latency = new Recorder(3);
  private final AtomicLong failed = new AtomicLong();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final long startNs = System.nanoTime();
  private long stopNs;
  private org.HdrHistogram.Histogram histogram;

  private BackgroundWriters() {}

  static BackgroundWriters start(DemoTarget c, int writers, SplitMergeKeys keys, int payload) {
    BackgroundWriters w = new BackgroundWriters();
    for (int id = 0; id < writers; id++) {
      int writer = id;
      Thread t = new Thread(() -> w.write(c, writer, keys, payload), "bench-writer-" + id);
      t.setDaemon(true);
      w.threads.add(t);
      t.start();
    }
    return w;
  }

  private void write(DemoTarget c, int writer, SplitMergeKeys keys, int payload) {
    SplittableRandom random = new SplittableRandom(writer);
    for (long seq = 0; !stop.get(); seq++) {
      byte[] key = keys.write(random.nextLong(), writer, seq);
      byte[] value = new byte[payload];
      random.nextBytes(value);
      long s = System.nanoTime();
      try {
        c.put(key, value);
        latency.recordValue(Math.max(1, (System.nanoTime() - s) / 1000));
        acked.put(new String(key, java.nio.charset.StandardCharsets.UTF_8), value);
      } catch (RuntimeException e) {
        failed.incrementAndGet();
      }
    }
  }

  /** Stops the writers and waits for their last writes. */
  void stop() throws InterruptedException {
    if (stop.getAndSet(true)) {
      return;
    }
    for (Thread t : threads) {
      t.join();
    }
    stopNs = System.nanoTime();
    histogram = latency.getIntervalHistogram();
  }

  long acked() {
    return acked.size();
  }

  long failed() {
    return failed.get();
  }

  double perSecond() {
    return acked.size() * 1e9 / Math.max(1, stopNs - startNs);
  }

  double p99Ms() {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(99) / 1000.0;
  }

  /** After {@link #stop}: writes/s and latency of the background load. */
  void report(Map<String, Object> out) {
    out.put("writes_per_sec", perSecond());
    out.put("writes_acked", acked());
    out.put("writes_failed", failed());
    out.put("p50_ms", histogram.getValueAtPercentile(50) / 1000.0);
    out.put("p99_ms", p99Ms());
    out.put("p999_ms", histogram.getValueAtPercentile(99.9) / 1000.0);
  }

  /** Reads every acknowledged write back; returns how many are missing or wrong. */
  long readBack(DemoTarget c) {
    long bad = 0;
    for (var e : acked.entrySet()) {
      if (!Arrays.equals(e.getValue(), c.get(SplitMergeScenario.utf8(e.getKey())))) {
        bad++;
      }
    }
    return bad;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
