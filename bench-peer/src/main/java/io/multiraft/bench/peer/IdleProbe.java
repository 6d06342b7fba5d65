package io.multiraft.bench.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The idle workload, the same as ours: with every group led and no writes, let the JVM settle,
 * then measure what idling costs over a window: CPU, heap per replica, threads, RSS, and the wire
 * messages the heartbeats make (from SOFAJRaft's per-node metric registry).
 */
final class IdleProbe {
  private IdleProbe() {}

  /**
   * @param heapBeforeBytes heap after GC before the first group started, subtracted so that the
   *     per-replica figure counts the groups (and the endpoints' shared servers), not the JVM
   */
  static Map<String, Object> run(SofaCluster cluster, PeerConfig cfg, long heapBeforeBytes)
      throws InterruptedException {
    long heapAfter = ProcessProbe.heapAfterGcBytes();
    // the settle comes after the full GCs so that the window sees the groups idling, not the
    // collector and the JIT finishing their work
    ThroughputLoad.waitNanos(TimeUnit.SECONDS.toNanos(cfg.settleSec()));
    long requests0 = cluster.followerRequestsHandled();
    long cpu0 = ProcessProbe.cpuNanos();
    long t0 = System.nanoTime();
    ThroughputLoad.waitNanos(TimeUnit.SECONDS.toNanos(cfg.seconds()));
    long wall = System.nanoTime() - t0;
    long cpu = ProcessProbe.cpuNanos() - cpu0;
    long requests = cluster.followerRequestsHandled() - requests0;
    long replicas = (long) cluster.groups() * cluster.nodes;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cpu_cores", cpu / (double) wall);
    // every heartbeat or append a follower handles is one request and one response on the wire
    out.put("wire_msgs_per_sec", 2 * requests * 1e9 / wall);
    out.put("wire_msgs_counted", "2 x follower handle-heartbeat-requests + handle-append-entries (NodeMetrics)");
    out.put("heap_after_gc_bytes", heapAfter);
    out.put("heap_bytes_per_replica", (heapAfter - heapBeforeBytes) / (double) replicas);
    out.put("rss_bytes", ProcessProbe.rssBytes());
    out.put("threads", ProcessProbe.liveThreads());
    out.put("thread_kinds", ProcessProbe.threadKinds(6));
    return out;
  }
}
