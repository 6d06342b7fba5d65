package io.multiraft.bench.peer;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.Task;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The throughput workload, the same as ours: C client threads each keep {@code outstanding} writes
 * in flight, walking the groups round-robin (client c proposes to groups c, c+C, c+2C, ...), each
 * write proposed with {@code Node.apply} on the group's leader. A write's latency ends when its
 * closure runs, i.e. when the leader has applied it.
 */
final class ThroughputLoad {
  private final SofaCluster cluster;
  private final PeerConfig cfg;
  private final Recorder recorder = new Recorder(3);
  private final LongAdder done = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicBoolean stop = new AtomicBoolean();

  ThroughputLoad(SofaCluster cluster, PeerConfig cfg) {
    this.cluster = cluster;
    this.cfg = cfg;
  }

  /** Runs warm-up then the measured window; returns the measured numbers. */
  Map<String, Object> run() throws InterruptedException {
    cluster.cacheLeaders();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < cfg.clients(); c++) {
      final int client = c;
      Thread t = new Thread(() -> clientLoop(client), "peer-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    waitNanos(TimeUnit.SECONDS.toNanos(cfg.warmupSec()));
    recorder.getIntervalHistogram(); // drop the warm-up's latencies
    long done0 = done.sum();
    long failed0 = failed.sum();
    long cpu0 = ProcessProbe.cpuNanos();
    long t0 = System.nanoTime();
    waitNanos(TimeUnit.SECONDS.toNanos(cfg.seconds()));
    long wall = System.nanoTime() - t0;
    long cpu = ProcessProbe.cpuNanos() - cpu0;
    Histogram h = recorder.getIntervalHistogram();
    long ops = done.sum() - done0;
    long fails = failed.sum() - failed0;
    // sampled while the load still runs: what the process holds under load
    long heap = ProcessProbe.heapUsedBytes();
    long rss = ProcessProbe.rssBytes();
    int liveThreads = ProcessProbe.liveThreads();
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("writes_per_sec", ops * 1e9 / wall);
    out.put("failed_writes", fails);
    out.put("p50_ms", h.getValueAtPercentile(50) / 1e6);
    out.put("p99_ms", h.getValueAtPercentile(99) / 1e6);
    out.put("p999_ms", h.getValueAtPercentile(99.9) / 1e6);
    out.put("cpu_cores", cpu / (double) wall);
    out.put("heap_used_bytes", heap);
    out.put("rss_bytes", rss);
    out.put("threads", liveThreads);
    out.put("thread_kinds", ProcessProbe.threadKinds(6));
    return out;
  }

  private void clientLoop(int client) {
    Semaphore permits = new Semaphore(cfg.outstanding());
    byte[] data = new byte[cfg.payloadBytes()];
    int groups = cluster.groups();
    int next = client;
    while (!stop.get()) {
      try {
        if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue; // re-check stop
        }
      } catch (InterruptedException e) {
        return;
      }
      final int g = next % groups;
      next += cfg.clients();
      Node leader = cluster.leader(g);
      if (leader == null) {
        failed.increment();
        permits.release();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // an election is under way
        continue;
      }
      final long start = System.nanoTime();
      // each task gets its own buffer: jraft keeps it until the entry is encoded
      leader.apply(new Task(ByteBuffer.wrap(data), status -> {
        if (status.isOk()) {
          recorder.recordValue(Math.max(1, System.nanoTime() - start));
          done.increment();
        } else {
          failed.increment();
          cluster.refreshLeader(g); // not leader any more, or overloaded: look again
        }
        permits.release();
      }));
    }
  }

  /** Waits out a window of the benchmark (the window is what is measured, not a synchronisation). */
  static void waitNanos(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
