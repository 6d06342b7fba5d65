package io.multiraft.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code idle}: creates G groups on N in-process nodes, waits for leaders and for every group to
 * quiesce, then measures what idling costs: CPU per node, messages per second, heap per replica.
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
    description = "Cost of idle groups on in-process nodes (loopback transport).")
final class IdleScenario implements Callable<Integer> {
  @Option(names = "--groups", split = ",", defaultValue = "1000", description = "Group counts to run, e.g. 1000,10000,100000.")
  List<Integer> groups;

  @Option(names = "--nodes", defaultValue = "3")
  int nodes;

  @Option(names = "--workers", defaultValue = "2", description = "Raft worker threads per node.")
  int workers;

  @Option(names = "--seconds", defaultValue = "10", description = "Measurement window once idle.")
  int seconds;

  @Option(names = "--settle", defaultValue = "10", description = "Seconds to wait after quiescence before measuring.")
  int settle;

  @Option(names = "--store", defaultValue = "memory", description = "Log store: memory or rocks (one RocksDB per node, synced).")
  String store;

  @Option(names = "--json", description = "Write the results to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || seconds < 1 || groups.stream().anyMatch(g -> g < 1)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "counts must be positive");
    }
    List<Object> points = new java.util.ArrayList<>();
    for (int g : groups) {
      points.add(runOnce(g));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", "idle");
    out.put("nodes", nodes);
    if (points.size() == 1) {
      out.putAll(castMap(points.get(0)));
    } else {
      out.put("points", points);
    }
    if (json != null) {
      Files.writeString(json, Json.write(out));
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  private Map<String, Object> runOnce(int groupCount) throws Exception {
    Path dir = Files.createTempDirectory("idle-bench");
    long heapBefore = ProcessStats.heapAfterGc();
    Map<String, Object> ours = new LinkedHashMap<>();
    try (InProcessCluster c = new InProcessCluster(nodes, workers, InProcessCluster.stores(store, dir))) {
      long t0 = System.nanoTime();
      c.createGroups(groupCount);
      long leadersMs = ProcessStats.await("leaders", () -> c.leaders() >= groupCount, 600_000);
      long readyMs = (System.nanoTime() - t0) / 1_000_000;
      ProcessStats.await("quiescence", () -> c.active() == 0, 600_000);
      long heapAfter = ProcessStats.heapAfterGc();
      // Let the JIT and the collector's concurrent work after the full GCs finish, so the window
      // measures the engine idling rather than the JVM settling.
      LockSupport.parkNanos(settle * 1_000_000_000L);
      long msgs0 = c.transport.messages.sum();
      long cpu0 = ProcessStats.cpuNanos();
      var threads0 = ProcessStats.threadCpu();
      long wall0 = System.nanoTime();
      LockSupport.parkNanos(seconds * 1_000_000_000L); // the measurement window itself
      long wall = System.nanoTime() - wall0;
      String top = ProcessStats.topThreads(threads0, ProcessStats.threadCpu(), wall, 5);
      double cpuCores = (ProcessStats.cpuNanos() - cpu0) / (double) wall;
      double msgsPerSec = (c.transport.messages.sum() - msgs0) * 1e9 / wall;
      ours.put("leaders_ready_ms", readyMs);
      ours.put("leaders_after_create_ms", leadersMs);
      ours.put("cpu_cores_per_node", cpuCores / nodes);
      ours.put("wire_msgs_per_sec", msgsPerSec);
      ours.put("heap_bytes_per_replica", (heapAfter - heapBefore) / (double) ((long) groupCount * nodes));
      System.out.printf("idle groups=%d nodes=%d: leaders ready %d ms, cpu %.4f cores/node, %.1f msgs/s, %.0f B heap/replica%n",
          groupCount, nodes, readyMs, cpuCores / nodes, msgsPerSec, (double) ours.get("heap_bytes_per_replica"));
      System.out.println("  busiest threads (of one core): " + top);
    } finally {
      deleteTree(dir);
    }
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("scenario", "idle");
    point.put("groups", groupCount);
    point.put("nodes", nodes);
    point.put("ours", ours);
    return point;
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
