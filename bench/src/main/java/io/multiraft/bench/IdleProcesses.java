package io.multiraft.bench;

import io.multiraft.bench.xjvm.ProcessCluster;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code idle} across node processes: creates G groups, waits for leaders and quiescence, then
 * measures what idling costs each node process (CPU, wire messages, heap per replica, RSS).
 */
final class IdleProcesses {
  private IdleProcesses() {}

  static Map<String, Object> run(ProcessCluster.Spec spec, int groups, int settleS, int seconds) throws Exception {
    try (ProcessCluster c = ProcessCluster.start(spec, Progress::say)) {
      var base = c.callAllJson("stats gc", ProcessRuns.CALL_TIMEOUT_MS);
      ProcessRuns.Election e = ProcessRuns.createAndElect(c, groups);
      return measure(c, groups, base, e, settleS, seconds);
    }
  }

  /**
   * Waits until groups 1..groups, already created and led, are quiescent, then measures one idle
   * window. {@code base} is the nodes' {@code stats gc} from before the groups were created.
   */
  static Map<String, Object> measure(ProcessCluster c, int groups, Map<Long, Map<String, Object>> base,
      ProcessRuns.Election e, int settleS, int seconds) throws InterruptedException {
    Map<String, Object> ours = new LinkedHashMap<>();
    long quietMs = c.await("every group to quiesce", ProcessRuns.CREATE_TIMEOUT_MS,
        () -> NodeFigures.sum(c.callAllJson("counts", ProcessRuns.CALL_TIMEOUT_MS), "active") == 0);
    Progress.say("all groups quiescent " + quietMs + " ms later");
    var loaded = c.callAllJson("stats gc", ProcessRuns.CALL_TIMEOUT_MS);
    // Let the JIT and the collectors' concurrent work after the full GCs finish, so the window
    // measures the engine idling rather than the JVMs settling.
    Progress.say("settling " + settleS + " s, then until the JVMs are quiet, then measuring " + seconds + " s");
    c.pause(settleS * 1000L);
    long quietWaitMs = awaitQuiet(c);
    Progress.say("JVMs quiet after " + quietWaitMs + " ms more");
    var s0 = c.callAllJson("stats", ProcessRuns.CALL_TIMEOUT_MS);
    long t0 = System.nanoTime();
    c.pause(seconds * 1000L);
    var s1 = c.callAllJson("stats", ProcessRuns.CALL_TIMEOUT_MS);
    double wallNs = System.nanoTime() - t0;
    int n = s1.size();
    double heapPerReplica = NodeFigures.delta(base, loaded, "heap_after_gc") / (double) ((long) groups * n);
    ours.put("leaders_ready_ms", e.readyMs());
    ours.put("leaders_after_create_ms", e.afterCreateMs());
    ours.put("cpu_cores_per_node", NodeFigures.delta(s0, s1, "cpu_ns") / wallNs / n);
    ours.put("wire_msgs_per_sec", NodeFigures.delta(s0, s1, "wire_msgs_sent") * 1e9 / wallNs);
    ours.put("wire_frames_per_sec", NodeFigures.delta(s0, s1, "wire_frames_sent") * 1e9 / wallNs);
    ours.put("heap_bytes_per_replica", heapPerReplica);
    ours.put("rss_bytes_per_node", NodeFigures.mean(s1, "rss_bytes"));
    ours.put("threads_per_node", NodeFigures.mean(s1, "os_threads"));
    ours.put("active_groups", NodeFigures.sum(s1, "active"));
    ours.put("quiet_wait_ms", quietWaitMs);
    ours.put("jit_ms_in_window_per_node", NodeFigures.delta(s0, s1, "jit_ms") / (double) n);
    ours.put("gc_ms_in_window_per_node", NodeFigures.delta(s0, s1, "gc_ms") / (double) n);
    Progress.say(String.format("idle groups=%d nodes=%d: leaders ready %d ms, cpu %.4f cores/node, %.1f wire msgs/s,"
            + " %.0f B heap/replica, %.0f MB RSS/node", groups, n, e.readyMs(), (double) ours.get("cpu_cores_per_node"),
        (double) ours.get("wire_msgs_per_sec"), heapPerReplica, NodeFigures.mean(s1, "rss_bytes") / 1e6));
    return ours;
  }

  /** Longest wait for the JVMs to go quiet before measuring anyway (the figures then show it). */
  private static final long QUIET_MAX_MS = 120_000;
  private static final long QUIET_PROBE_MS = 3_000;
  /** A node using less than this share of a core over a probe, and compiling less, counts as quiet. */
  private static final double QUIET_CORES = 0.015;
  /** Compilations come in bursts: one quiet probe is not enough (a window after one measured 1.8%). */
  private static final int QUIET_PROBES_IN_A_ROW = 2;

  /**
   * Waits until every node JVM is quiet: under 1.5% of a core, and its JIT under 1.5% of the time,
   * over two probes in a row. After creating 10,000 groups on a loaded 2-core machine the C2 compiler threads work
   * through their backlog for half a minute or more: per-thread CPU (/proc/PID/task/TID/stat) showed
   * them burning about 90% of each node's 0.05-0.08 cores 10-25 s after quiescence, with the raft,
   * log and network threads at 0.1-0.3%. A window that starts then measures the JVM warming up,
   * not idle groups. The JIT's own counter alone is not enough: it moves only when a compilation
   * ends, and one C2 compilation can run for seconds. Returns how long it waited.
   */
  private static long awaitQuiet(ProcessCluster c) throws InterruptedException {
    long t0 = System.nanoTime();
    var before = c.callAllJson("stats", ProcessRuns.CALL_TIMEOUT_MS);
    long probeStart = System.nanoTime();
    int quietProbes = 0;
    while ((System.nanoTime() - t0) / 1_000_000 < QUIET_MAX_MS) {
      c.pause(QUIET_PROBE_MS);
      var after = c.callAllJson("stats", ProcessRuns.CALL_TIMEOUT_MS);
      double wallNs = System.nanoTime() - probeStart;
      probeStart = System.nanoTime();
      quietProbes = quiet(before, after, wallNs) ? quietProbes + 1 : 0;
      if (quietProbes >= QUIET_PROBES_IN_A_ROW) {
        break;
      }
      before = after;
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Whether every node used under 1.5% of a core, and compiled for under 1.5% of the time, between two stats. */
  static boolean quiet(Map<Long, Map<String, Object>> before, Map<Long, Map<String, Object>> after, double wallNs) {
    for (var e : after.entrySet()) {
      var b = before.get(e.getKey());
      double cpu = (NodeFigures.number(e.getValue(), "cpu_ns") - NodeFigures.number(b, "cpu_ns")) / wallNs;
      double jit = (NodeFigures.number(e.getValue(), "jit_ms") - NodeFigures.number(b, "jit_ms")) * 1e6 / wallNs;
      if (cpu >= QUIET_CORES || jit >= QUIET_CORES) {
        return false;
      }
    }
    return true;
  }
}
