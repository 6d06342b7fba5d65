package io.multiraft.bench;

import io.multiraft.bench.peer.PeerRequest;
import io.multiraft.bench.xjvm.ClusterFailure;
import io.multiraft.bench.xjvm.ProcessCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code scale}: sweeps the number of groups; at each, on fresh node JVMs, measures the groups
 * idle, then under load ({@link IdleProcesses#measure}, {@link ThroughputProcesses#measure}), and, with
 * {@code --peer}, the same two workloads on the peer. The peer is swept until it first fails (it
 * runs a RocksDB and several threads per replica, so it stops long before we do); the larger
 * counts record it as skipped. A node of ours dying stops the sweep, and the points so far are
 * written before the run exits 1.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "Throughput and idle cost against the number of groups, node JVMs over the Netty transport.")
final class ScaleScenario implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--groups", split = ",", defaultValue = "10,100,1000,10000,100000",
      description = "Group counts to sweep.")
  List<Integer> groups;

  @Option(names = "--quick", description = "Smoke run: 10 and 100 groups, 1 s warm-up or settle, 2 s measured"
      + " (options given explicitly win).")
  boolean quick;

  @Option(names = "--peer", description = "Also sweep this library beside ours: ${COMPLETION-CANDIDATES}.")
  Peer peer;

  @Option(names = "--run-dir", description = "Parent of the per-run directories (default: java.io.tmpdir).")
  Path runDir;

  @Option(names = "--nodes", defaultValue = "3")
  int nodes;

  @Option(names = "--workers", defaultValue = WorkerShare.DEFAULT, description = WorkerShare.DESCRIPTION)
  int workers;

  @Option(names = "--clients", defaultValue = "4")
  int clients;

  @Option(names = "--outstanding", defaultValue = "256", description = "Writes in flight per client.")
  int outstanding;

  @Option(names = "--payload", defaultValue = "128")
  int payload;

  @Option(names = "--warmup", defaultValue = "30", description = "Seconds of load before throughput is measured (the JIT compiles for about that long at 1,000 groups; both sides get it).")
  int warmup;

  @Option(names = "--settle", defaultValue = "10", description = "Seconds idle before idle cost is measured.")
  int settle;

  @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds of each point.")
  int seconds;

  @Option(names = "--store", defaultValue = "rocks", description = "Log store: rocks (synced) or memory.")
  String store;

  @Mixin
  ResultFiles resultFiles;

  /** The peer's first failure in one workload: larger group counts are not tried. */
  private final Map<String, Map<String, Object>> peerFailedAt = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    applyQuick();
    if (nodes < 1 || workers < 0 || clients < 1 || outstanding < 1 || payload < 0 || seconds < 1 || warmup < 0
        || settle < 0 || groups.stream().anyMatch(g -> g < 1)) {
      throw new ParameterException(spec.commandLine(), "counts must be positive");
    }
    if (!store.equals("rocks") && !store.equals("memory")) {
      throw new ParameterException(spec.commandLine(), "--store must be rocks or memory");
    }
    workers = WorkerShare.resolve(workers, nodes);
    List<Map<String, Object>> points = new ArrayList<>();
    int code = 0;
    try {
      for (int g : groups.stream().sorted().distinct().toList()) {
        Progress.say("scale: " + g + " groups");
        points.addAll(sweepPoint(g));
      }
    } catch (ClusterFailure e) {
      spec.commandLine().getErr().println("bench scale: run failed: " + e.getMessage());
      spec.commandLine().getErr().flush();
      code = 1;
    }
    resultFiles.write("scale", Results.sweep("scale", nodes, payload, Mode.processes.name(), points));
    return code;
  }

  /**
   * One cluster per group count: the groups are created and elected once, measured idle, then
   * loaded. Both measurements see the same groups, and the sweep starts half as many JVMs. The
   * peer runs after our nodes are gone, so the two never share the machine.
   */
  private List<Map<String, Object>> sweepPoint(int g) throws Exception {
    Map<String, Object> idle;
    Map<String, Object> throughput;
    try (ProcessCluster c = ProcessCluster.start(ProcessRuns.spec(nodes, workers, store, runDir), Progress::say)) {
      var base = c.callAllJson("stats gc", ProcessRuns.CALL_TIMEOUT_MS);
      ProcessRuns.Election e = ProcessRuns.createAndElect(c, g);
      idle = IdleProcesses.measure(c, g, base, e, settle, seconds);
      throughput = ThroughputProcesses.measure(c, g,
          new ThroughputProcesses.Load(clients, outstanding, payload, warmup, seconds), e);
      throughput.put("heap_bytes_per_replica", idle.get("heap_bytes_per_replica"));
    }
    Map<String, Object> tp = Results.point("throughput", g, nodes, payload, Mode.processes.name(), throughput);
    tp.put("workers_per_node", workers);
    comparePeer(tp, "throughput", () -> PeerComparison.throughput(g, nodes, clients, outstanding, payload, warmup,
        seconds, quick, runDir));
    Map<String, Object> ip = Results.point("idle", g, nodes, 0, Mode.processes.name(), idle);
    ip.put("workers_per_node", workers);
    comparePeer(ip, "idle", () -> PeerComparison.idle(g, nodes, settle, seconds, quick, runDir));
    return List.of(tp, ip);
  }

  private void comparePeer(Map<String, Object> point, String workload,
      Supplier<PeerRequest> request) {
    if (peer == null) {
      return;
    }
    Map<String, Object> failed = peerFailedAt.get(workload);
    if (failed != null) {
      PeerComparison.skipped(point, ((Number) failed.get("groups")).intValue(), failed.get("status"));
      return;
    }
    Map<String, Object> result = PeerComparison.attach(point, request.get());
    if (!PeerComparison.ok(result)) {
      peerFailedAt.put(workload, Map.of("groups", point.get("groups"), "status", result.get("status")));
    }
  }

  private void applyQuick() {
    if (!quick) {
      return;
    }
    ParseResult given = spec.commandLine().getParseResult();
    if (!given.hasMatchedOption("--groups")) {
      groups = List.of(10, 100);
    }
    if (!given.hasMatchedOption("--warmup")) {
      warmup = 1;
    }
    if (!given.hasMatchedOption("--settle")) {
      settle = 1;
    }
    if (!given.hasMatchedOption("--seconds")) {
      seconds = 2;
    }
  }
}
