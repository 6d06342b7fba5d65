package io.multiraft.bench.xjvm;

import io.multiraft.bench.FailureCauses;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.RaftException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Client threads inside a node process, each keeping {@code outstanding} writes in flight to the
 * groups this node led when the load started: a real database client sends a write to the
 * leader, so no write takes a detour through another process. A write refused because the
 * leader moved counts as failed, and its group leaves this node's rotation: a client would send
 * the next write to the new leader, not hammer the old one (which failed hundreds of thousands
 * of writes a second, each at once, and took the CPU the other groups needed).
 */
final class LoadClients {
  private final MultiRaftNode node;
  private final long[] groups;
  /** By index into {@link #groups}: 1 once this node was found not to lead it any more. */
  private final AtomicIntegerArray movedAway;
  private final int outstanding;
  private final byte[] data;
  private final Recorder recorder = new Recorder(3);
  private final LongAdder done = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final FailureCauses causes = new FailureCauses();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private long markNs = System.nanoTime();
  private long done0;
  private long failed0;
  private Map<String, Long> causes0 = Map.of();

  LoadClients(MultiRaftNode node, long[] groups, int clients, int outstanding, int payload) {
    this.node = node;
    this.groups = groups;
    this.movedAway = new AtomicIntegerArray(groups.length);
    this.outstanding = outstanding;
    this.data = new byte[payload];
    if (groups.length == 0) {
      return; // this node leads nothing: it serves no client
    }
    for (int c = 0; c < clients; c++) {
      final int client = c;
      Thread t = new Thread(() -> run(client, clients), "bench-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Starts the measured window: what happened before (the warm-up) is discarded. */
  synchronized void mark() {
    recorder.getIntervalHistogram();
    done0 = done.sum();
    failed0 = failed.sum();
    causes0 = causes.snapshot();
    markNs = System.nanoTime();
  }

  /** Ends the window, stops the clients and returns the window's writes, failures and latencies. */
  synchronized Map<String, Object> stop() throws InterruptedException {
    long windowNs = System.nanoTime() - markNs;
    Histogram h = recorder.getIntervalHistogram();
    long writes = done.sum() - done0;
    long fails = failed.sum() - failed0;
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("groups_led", groups.length);
    m.put("writes", writes);
    m.put("failed", fails);
    int moved = 0;
    for (int i = 0; i < movedAway.length(); i++) {
      moved += movedAway.get(i);
    }
    m.put("groups_moved_away", moved);
    FailureCauses.since(causes0, causes.snapshot()).forEach((k, v) -> m.put(FailureCauses.PREFIX + k, v));
    m.put("window_ns", windowNs);
    m.put("latency_ns", Histograms.encode(h));
    return m;
  }

  private void run(int client, int clients) {
    Semaphore permits = new Semaphore(outstanding);
    int next = client % groups.length;
    int skipped = 0;
    while (!stop.get()) {
      try {
        if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      int i = next;
      next = (next + clients) % groups.length;
      if (movedAway.get(i) != 0) {
        permits.release();
        if (++skipped >= groups.length) { // every group of this client moved away: nothing to write to
          skipped = 0;
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        continue;
      }
      skipped = 0;
      long start = System.nanoTime();
      node.propose(groups[i], data).whenComplete((r, e) -> {
        if (e == null) {
          recorder.recordValue(Math.max(1, System.nanoTime() - start));
          done.increment();
        } else {
          failed.increment();
          causes.record(e);
          Throwable cause = e instanceof CompletionException ? e.getCause() : e;
          if (cause instanceof RaftException.NotLeader) {
            movedAway.set(i, 1);
          }
        }
        permits.release();
      });
    }
  }
}
