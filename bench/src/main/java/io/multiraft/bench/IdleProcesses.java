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
    Progress.say("settling " + settleS + " s, then measuring " + seconds + " s");
    c.pause(settleS * 1000L);
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
    Progress.say(String.format("idle groups=%d nodes=%d: leaders ready %d ms, cpu %.4f cores/node, %.1f wire msgs/s,"
            + " %.0f B heap/replica, %.0f MB RSS/node", groups, n, e.readyMs(), (double) ours.get("cpu_cores_per_node"),
        (double) ours.get("wire_msgs_per_sec"), heapPerReplica, NodeFigures.mean(s1, "rss_bytes") / 1e6));
    return ours;
  }
}
