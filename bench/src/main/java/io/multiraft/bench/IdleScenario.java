package io.multiraft.bench;

import io.multiraft.bench.xjvm.ClusterFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code idle}: creates G groups on N nodes, waits for leaders and for every group to quiesce,
 * then measures what idling costs: CPU per node, messages per second, heap per replica. The nodes
 * are separate JVMs over the Netty transport ({@link IdleProcesses}) or, with
 * {@code --mode inprocess}, share this JVM over the loopback transport.
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
    description = "Cost of idle groups: node JVMs over the Netty transport (default) or in-process nodes.")
final class IdleScenario implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--groups", split = ",", defaultValue = "1000", description = "Group counts to run, e.g. 1000,10000,100000.")
  List<Integer> groups;

  @Option(names = "--mode", defaultValue = "processes", description = "processes (one JVM per node) or inprocess.")
  Mode mode;

  @Option(names = "--quick", description = "Smoke run: 100 groups, 1 s settle, 3 s measured, the peer too (options given explicitly win).")
  boolean quick;

  @Option(names = "--run-dir", description = "Parent of the per-run directory of node data and logs (processes mode; default: java.io.tmpdir).")
  Path runDir;

  @Option(names = "--nodes", defaultValue = "3")
  int nodes;

  @Option(names = "--workers", defaultValue = WorkerShare.DEFAULT, description = WorkerShare.DESCRIPTION)
  int workers;

  @Option(names = "--seconds", defaultValue = "10", description = "Measurement window once idle.")
  int seconds;

  @Option(names = "--settle", defaultValue = "10", description = "Seconds to wait after quiescence before measuring.")
  int settle;

  @Option(names = "--store", description = "Log store: rocks (one RocksDB per node, synced) or memory. Default: rocks"
      + " in processes mode, memory in process.")
  String store;

  @Option(names = "--peer",
      description = "Also run the same workload on this library and report it beside ours: ${COMPLETION-CANDIDATES}.")
  Peer peer;

  @Mixin
  ResultFiles resultFiles;

  @Override
  public Integer call() throws Exception {
    applyQuick();
    if (store == null) {
      store = mode == Mode.processes ? "rocks" : "memory";
    }
    if (nodes < 1 || workers < 0 || seconds < 1 || settle < 0 || groups.stream().anyMatch(g -> g < 1)) {
      throw new ParameterException(spec.commandLine(), "counts must be positive");
    }
    if (!store.equals("rocks") && !store.equals("memory")) {
      throw new ParameterException(spec.commandLine(), "--store must be rocks or memory");
    }
    workers = WorkerShare.resolve(workers, nodes);
    List<Map<String, Object>> points = new ArrayList<>();
    int code = 0;
    try {
      for (int g : groups) {
        Map<String, Object> ours = mode == Mode.processes
            ? IdleProcesses.run(ProcessRuns.spec(nodes, workers, store, runDir), g, settle, seconds)
            : runInProcess(g);
        Map<String, Object> point = Results.point("idle", g, nodes, 0, mode.name(), ours);
        point.put("workers_per_node", workers);
        points.add(point);
        if (peer != null) {
          PeerComparison.attach(point, PeerComparison.idle(g, nodes, settle, seconds, quick, runDir));
        }
      }
    } catch (ClusterFailure e) {
      // the points measured before the failure are still written
      spec.commandLine().getErr().println("bench idle: run failed: " + e.getMessage());
      spec.commandLine().getErr().flush();
      code = 1;
    }
    resultFiles.write("idle", Results.document("idle", nodes, 0, mode.name(), points));
    return code;
  }

  private void applyQuick() {
    if (!quick) {
      return;
    }
    ParseResult given = spec.commandLine().getParseResult();
    if (!given.hasMatchedOption("--groups")) {
      groups = List.of(100);
    }
    if (!given.hasMatchedOption("--settle")) {
      settle = 1;
    }
    if (!given.hasMatchedOption("--seconds")) {
      seconds = 3;
    }
  }

  private Map<String, Object> runInProcess(int groupCount) throws Exception {
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
    return ours;
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
