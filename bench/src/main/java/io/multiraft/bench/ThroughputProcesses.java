package io.multiraft.bench;

import io.multiraft.bench.xjvm.ProcessCluster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * {@code throughput} across node processes: clients inside each node write to the groups that
 * node leads (see {@link ProcessRuns#loadCommands}); one warm-up, then one window measured on
 * every node at once. Latency is from propose to applied, as the in-process run measures it.
 */
final class ThroughputProcesses {
  private ThroughputProcesses() {}

  record Load(int clients, int outstanding, int payload, int warmupS, int seconds) {}

  /** Above this share of the nodes' CPU in the JIT, the window is reported as not warm. */
  static final double JIT_WARN_SHARE = 0.15;

  static Map<String, Object> run(ProcessCluster.Spec spec, int groups, Load load) throws Exception {
    try (ProcessCluster c = ProcessCluster.start(spec, Progress::say)) {
      var base = c.callAllJson("stats gc", ProcessRuns.CALL_TIMEOUT_MS);
      ProcessRuns.Election e = ProcessRuns.createAndElect(c, groups);
      var elected = c.callAllJson("stats gc", ProcessRuns.CALL_TIMEOUT_MS);
      Map<String, Object> ours = measure(c, groups, load, e);
      double replicas = (double) groups * c.live().size();
      ours.put("heap_bytes_per_replica", NodeFigures.delta(base, elected, "heap_after_gc") / replicas);
      return ours;
    }
  }

  /**
   * Loads groups 1..groups, already created and led, and measures one window; every figure but
   * the heap per replica, which the caller measured before any load.
   */
  static Map<String, Object> measure(ProcessCluster c, int groups, Load load, ProcessRuns.Election e)
      throws InterruptedException {
    Map<String, Object> ours = new LinkedHashMap<>();
    c.callEach(ProcessRuns.loadCommands(c, groups, load.clients(), load.outstanding(), load.payload()),
        ProcessRuns.CALL_TIMEOUT_MS);
    Progress.say("load started: " + load.clients() + " clients x " + load.outstanding() + " outstanding, "
        + load.payload() + " B; warming up " + load.warmupS() + " s");
    c.pause(load.warmupS() * 1000L);
    c.callAll("load-mark", ProcessRuns.CALL_TIMEOUT_MS);
    var s0 = c.callAllJson("stats", ProcessRuns.CALL_TIMEOUT_MS);
    long t0 = System.nanoTime();
    Progress.say("measuring " + load.seconds() + " s");
    c.pause(load.seconds() * 1000L);
    var s1 = c.callAllJson("stats", ProcessRuns.CALL_TIMEOUT_MS);
    double wallNs = System.nanoTime() - t0;
    var results = c.callAllJson("load-stop", ProcessRuns.CALL_TIMEOUT_MS);
    Histogram h = ProcessRuns.mergedLatency(results);
    int n = s1.size();
    long writes = NodeFigures.sum(results, "writes");
    double windowNs = NodeFigures.mean(results, "window_ns");
    long syncs = NodeFigures.delta(s0, s1, "log_syncs");
    long entries = NodeFigures.delta(s0, s1, "log_entries");
    ours.put("writes_per_sec", writes * 1e9 / windowNs);
    ours.put("p50_ms", h.getValueAtPercentile(50) / 1e6);
    ours.put("p99_ms", h.getValueAtPercentile(99) / 1e6);
    ours.put("p999_ms", h.getValueAtPercentile(99.9) / 1e6);
    ours.put("cpu_cores_per_node", NodeFigures.delta(s0, s1, "cpu_ns") / wallNs / n);
    // CPU per write, and the JIT's share of the nodes' CPU: a node JVM still compiling in the window
    // (more code runs hot at 1,000 groups than at 1) makes the cost per write look higher than it is.
    double cpuNs = NodeFigures.delta(s0, s1, "cpu_ns");
    double jitNs = NodeFigures.delta(s0, s1, "jit_cpu_ns");
    ours.put("cpu_us_per_write", writes == 0 ? 0.0 : cpuNs / 1e3 / (writes * wallNs / windowNs));
    ours.put("jit_share_of_cpu", cpuNs <= 0 ? 0.0 : jitNs / cpuNs);
    ours.put("syncs_per_sec", syncs * 1e9 / wallNs / n);
    ours.put("entries_per_sync", syncs == 0 ? 0.0 : entries / (double) syncs);
    ours.put("failed_writes", NodeFigures.sum(results, "failed"));
    Map<String, Long> causes = FailureCauses.sumPrefixed(results.values());
    if (!causes.isEmpty()) {
      ours.put("failed_by_cause", causes);
    }
    // Leaders that changed in the window: elections under load. A node's clients then leave that group.
    long moved = NodeFigures.delta(s0, s1, "leaderships_gained");
    ours.put("leaderships_gained", moved);
    ours.put("groups_moved_away", NodeFigures.sum(results, "groups_moved_away"));
    // What moves leadership without a failure: writes and whole-JVM pauses as long as half an election timeout.
    long slowWrites = NodeFigures.delta(s0, s1, "slow_log_writes");
    long pauses = NodeFigures.delta(s0, s1, "long_pauses");
    ours.put("slow_log_writes", slowWrites);
    ours.put("long_pauses", pauses);
    ours.put("wire_msgs_per_sec", NodeFigures.delta(s0, s1, "wire_msgs_sent") * 1e9 / wallNs);
    ours.put("wire_frames_per_sec", NodeFigures.delta(s0, s1, "wire_frames_sent") * 1e9 / wallNs);
    ours.put("per_write", perWrite(s0, s1, writes * wallNs / windowNs));
    ours.put("rss_bytes_per_node", NodeFigures.mean(s1, "rss_bytes"));
    ours.put("threads_per_node", NodeFigures.mean(s1, "os_threads"));
    ours.put("leaders_ready_ms", e.readyMs());
    ours.put("groups_led_per_node", results.values().stream().map(r -> r.get("groups_led")).toList().toString());
    Progress.say(String.format("throughput groups=%d nodes=%d clients=%d x %d: %.0f writes/s, p50 %.2f ms, p99 %.2f ms,"
            + " %.0f syncs/s/node, %.1f entries/sync, %.2f cores/node, %.1f us CPU/write (JIT %.0f%%)", groups, n,
        load.clients(), load.outstanding(),
        (double) ours.get("writes_per_sec"), (double) ours.get("p50_ms"), (double) ours.get("p99_ms"),
        (double) ours.get("syncs_per_sec"), (double) ours.get("entries_per_sync"),
        (double) ours.get("cpu_cores_per_node"), (double) ours.get("cpu_us_per_write"),
        100 * (double) ours.get("jit_share_of_cpu")));
    if (!causes.isEmpty() || moved > 0) {
      Progress.say("  failed writes by cause: " + causes + "; leaderships gained in the window: " + moved
          + "; log writes >= 300 ms: " + slowWrites + "; node JVM pauses >= 300 ms: " + pauses);
    }
    if ((double) ours.get("jit_share_of_cpu") > JIT_WARN_SHARE) {
      Progress.say(String.format("  the JIT used %.0f%% of the nodes' CPU in the window: they were still compiling, and"
          + " the figures understate the steady state (a longer --warmup measures it)", 100 * (double) ours.get("jit_share_of_cpu")));
    }
    return ours;
  }

  /** The Raft work behind a write: messages by type, wake-ups, quiesces, readies, ticks, all nodes. */
  static Map<String, Object> perWrite(Map<Long, Map<String, Object>> s0, Map<Long, Map<String, Object>> s1,
      double writes) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : s1.values().iterator().next().keySet()) {
      if (k.startsWith("sent_") || PER_WRITE_KEYS.contains(k)) {
        long d = NodeFigures.delta(s0, s1, k);
        if (d != 0) {
          out.put(k, writes == 0 ? 0.0 : Math.round(d / writes * 1000) / 1000.0);
        }
      }
    }
    Progress.say("  per write: " + out);
    return out;
  }

  private static final Set<String> PER_WRITE_KEYS = Set.of("alloc_bytes",
      "node_msgs_sent", "wire_msgs_sent", "wire_frames_sent", "groups_woken", "quiesced", "quiesced_early", "readies",
      "duty_cycles", "ticks", "log_syncs");
}
