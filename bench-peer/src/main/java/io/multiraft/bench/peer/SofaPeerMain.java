package io.multiraft.bench.peer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of the SOFAJRaft peer benchmark: starts N SOFAJRaft nodes and G groups in this JVM,
 * waits (within a bound) for every group to elect a leader, runs the throughput or idle workload,
 * and prints one JSON line on stdout. Progress goes to stderr as {@code peer-progress key=value ...}
 * lines, so that a driver that has to kill this process still knows how far it got.
 *
 * <p>Run with {@code bench-peer/target/peer-lib/*} and its {@code classes} on the classpath, never
 * with bench.jar's: see the bench-peer pom.
 */
public final class SofaPeerMain {
  private static final long PROGRESS_EVERY_NS = TimeUnit.SECONDS.toNanos(1);

  /**
   * {@code --exit-with-parent=DIR}: end when the driver is gone, deleting its run directory DIR
   * (see {@link ParentWatch}).
   */
  static final String EXIT_WITH_PARENT = "--exit-with-parent=";

  private SofaPeerMain() {}

  public static void main(String[] args) {
    for (String a : args) {
      if (a.startsWith(EXIT_WITH_PARENT)) {
        ParentWatch.start(Path.of(a.substring(EXIT_WITH_PARENT.length())));
      }
    }
    args = Arrays.stream(args).filter(a -> !a.startsWith(EXIT_WITH_PARENT)).toArray(String[]::new);
    Report out = new Report();
    try {
      PeerConfig cfg = PeerConfig.parse(args);
      RssGuard.start(cfg.rssLimitBytes(), out);
      run(cfg, out);
    } catch (IllegalArgumentException e) {
      out.put("status", "bad_args");
      out.put("error", e.getMessage());
    }
    out.emitAndHalt(0);
  }

  private static void run(PeerConfig cfg, Report out) {
    out.put("status", "start_failed");
    out.put("workload", cfg.workload());
    out.put("nodes", cfg.nodes());
    out.put("groups", cfg.groups());
    out.put("groups_started", 0);
    out.put("groups_led", 0);
    out.put("leaders_ready_ms", null); // until every group has a leader
    boolean idle = cfg.workload().equals("idle");
    long heapBefore = idle ? ProcessProbe.heapAfterGcBytes() : 0;
    String phase = "start";
    try {
      if (cfg.logWriteBufferMb() > 0) {
        SofaOptions.registerLogWriteBuffer(cfg.logWriteBufferMb());
      }
      out.put("log_write_buffer_mb",
          cfg.logWriteBufferMb() > 0 ? cfg.logWriteBufferMb() : SofaOptions.DEFAULT_WRITE_BUFFER_MB);
      SofaCluster cluster = new SofaCluster(cfg.nodes(), cfg.dataDir(), cfg.electionTimeoutMs(), idle);
      long t0 = System.nanoTime();
      long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(cfg.leadersBoundMs());
      long nextProgress = t0 + PROGRESS_EVERY_NS;
      while (cluster.groups() < cfg.groups() && System.nanoTime() < deadline) {
        cluster.startGroup();
        out.put("groups_started", cluster.groups());
        if (System.nanoTime() >= nextProgress) {
          // leaders too, so that a run stopped while starting (rss_limit) says how many had one
          int led = cluster.groupsWithLeader();
          out.put("groups_led", led);
          progress(cluster.groups(), led, t0);
          nextProgress += PROGRESS_EVERY_NS;
        }
      }
      phase = "leaders";
      int led = cluster.groupsWithLeader();
      while (led < cfg.groups() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll interval, bounded by the deadline
        led = cluster.groupsWithLeader();
        out.put("groups_led", led);
        if (System.nanoTime() >= nextProgress) {
          progress(cluster.groups(), led, t0);
          nextProgress += PROGRESS_EVERY_NS;
        }
      }
      long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      out.put("groups_led", led);
      progress(cluster.groups(), led, t0);
      if (led < cfg.groups()) {
        out.put("status", "leaders_timeout");
        out.put("leaders_wait_ms", readyMs);
        out.put("threads", ProcessProbe.liveThreads());
        out.put("rss_bytes", ProcessProbe.rssBytes());
        out.put("error", "after " + readyMs + " ms, " + led + " of " + cfg.groups() + " groups had a leader");
        return;
      }
      out.put("leaders_ready_ms", readyMs);
      phase = cfg.workload();
      Map<String, Object> measured = idle
          ? IdleProbe.run(cluster, cfg, heapBefore)
          : new ThroughputLoad(cluster, cfg).run();
      out.putAll(measured);
      out.put("cpu_cores_per_node", (double) measured.get("cpu_cores") / cfg.nodes());
      out.put("rss_bytes_per_node", (long) measured.get("rss_bytes") / (double) cfg.nodes());
      // every replica's state machine counted its entries: a check that writes were replicated and applied
      out.put("applied_entries", cluster.applied.sum());
      out.put("status", "ok");
    } catch (Throwable e) { // an OutOfMemoryError (no native thread) is a result here, not a crash
      out.put("status", phase.equals("start") ? "start_failed" : phase + "_failed");
      out.put("error", e.toString());
      e.printStackTrace();
    }
  }

  private static void progress(int started, int led, long t0) {
    System.err.printf("peer-progress groups_started=%d groups_led=%d elapsed_ms=%d threads=%d%n", started,
        led, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), ProcessProbe.liveThreads());
  }
}
