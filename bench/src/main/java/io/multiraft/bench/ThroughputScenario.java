package io.multiraft.bench;

import io.multiraft.bench.xjvm.ClusterFailure;
import io.multiraft.core.GroupStatus;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.RaftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code throughput}: C client threads keep a bounded number of writes outstanding each, spread over
 * G groups on N nodes; reports committed writes/s, latency percentiles, syncs/s and entries per
 * sync. The nodes are separate JVMs over the Netty transport ({@link ThroughputProcesses}) or,
 * with {@code --mode inprocess}, share this JVM over the loopback transport.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
    description = "Write throughput over many groups: node JVMs over the Netty transport (default) or in-process nodes.")
final class ThroughputScenario implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--groups", split = ",", defaultValue = "1000", description = "Active group counts, e.g. 1,10,1000,10000.")
  List<Integer> groups;

  @Option(names = "--mode", defaultValue = "processes", description = "processes (one JVM per node) or inprocess.")
  Mode mode;

  @Option(names = "--quick", description = "Smoke run: 10 groups, 1 s warm-up, 3 s measured, the peer too (options given explicitly win).")
  boolean quick;

  @Option(names = "--run-dir", description = "Parent of the per-run directory of node data and logs (processes mode; default: java.io.tmpdir).")
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

  @Option(names = "--warmup", defaultValue = "30", description = "Seconds of load before the window (the JIT compiles for about that long at 1,000 groups; both sides get it).")
  int warmup;

  @Option(names = "--seconds", defaultValue = "10")
  int seconds;

  @Option(names = "--store", defaultValue = "rocks", description = "Log store: rocks (one RocksDB per node, synced) or memory.")
  String store;

  @Option(names = "--peer",
      description = "Also run the same workload on this library and report it beside ours: ${COMPLETION-CANDIDATES}.")
  Peer peer;

  @Mixin
  ResultFiles resultFiles;

  @Override
  public Integer call() throws Exception {
    applyQuick();
    if (nodes < 1 || workers < 0 || clients < 1 || outstanding < 1 || payload < 0 || seconds < 1 || warmup < 0
        || groups.stream().anyMatch(g -> g < 1)) {
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
            ? ThroughputProcesses.run(ProcessRuns.spec(nodes, workers, store, runDir), g,
                new ThroughputProcesses.Load(clients, outstanding, payload, warmup, seconds))
            : runInProcess(g);
        Map<String, Object> point = Results.point("throughput", g, nodes, payload, mode.name(), ours);
        point.put("workers_per_node", workers);
        points.add(point);
        if (peer != null) {
          PeerComparison.attach(point, PeerComparison.throughput(g, nodes, clients, outstanding, payload, warmup,
              seconds, quick, runDir));
        }
      }
    } catch (ClusterFailure e) {
      // the points measured before the failure are still written
      spec.commandLine().getErr().println("bench throughput: run failed: " + e.getMessage());
      spec.commandLine().getErr().flush();
      code = 1;
    }
    resultFiles.write("throughput", Results.document("throughput", nodes, payload, mode.name(), points));
    return code;
  }

  private void applyQuick() {
    if (!quick) {
      return;
    }
    ParseResult given = spec.commandLine().getParseResult();
    if (!given.hasMatchedOption("--groups")) {
      groups = List.of(10);
    }
    if (!given.hasMatchedOption("--warmup")) {
      warmup = 1;
    }
    if (!given.hasMatchedOption("--seconds")) {
      seconds = 3;
    }
  }

  private Map<String, Object> runInProcess(int groupCount) throws Exception {
    Path dir = Files.createTempDirectory("throughput-bench");
    Map<String, Object> ours = new LinkedHashMap<>();
    try (InProcessCluster c = new InProcessCluster(nodes, workers, InProcessCluster.stores(store, dir))) {
      c.createGroups(groupCount);
      ProcessStats.await("leaders", () -> c.leaders() >= groupCount, 600_000);
      AtomicLongArray leaderOf = new AtomicLongArray(groupCount + 1);
      for (int g = 1; g <= groupCount; g++) {
        GroupStatus s = c.nodes.get(0).status(g).get(30, TimeUnit.SECONDS);
        leaderOf.set(g, s.leader());
      }
      Recorder recorder = new Recorder(3);
      LongAdder done = new LongAdder();
      LongAdder failed = new LongAdder();
      FailureCauses causes = new FailureCauses();
      AtomicBoolean stop = new AtomicBoolean();
      byte[] data = new byte[payload];
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < clients; t++) {
        final int client = t;
        Thread th = new Thread(() -> clientLoop(c, client, groupCount, leaderOf, data, recorder, done, failed, causes, stop), "client-" + t);
        th.setDaemon(true);
        threads.add(th);
        th.start();
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
      recorder.getIntervalHistogram(); // discard warm-up
      long done0 = done.sum();
      long failed0 = failed.sum();
      Map<String, Long> causes0 = causes.snapshot();
      long syncs0 = c.syncs();
      long entries0 = c.loggedEntries();
      long cpu0 = ProcessStats.cpuNanos();
      long alloc0 = ProcessStats.allocatedBytes();
      Map<String, Long> cost0 = CostCounters.sum(c.nodes);
      long t0 = System.nanoTime();
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
      long wall = System.nanoTime() - t0;
      Histogram h = recorder.getIntervalHistogram();
      long ops = done.sum() - done0;
      long syncs = c.syncs() - syncs0;
      long entries = c.loggedEntries() - entries0;
      double cpu = (ProcessStats.cpuNanos() - cpu0) / (double) wall;
      Map<String, Object> perWrite = CostCounters.perWrite(cost0, CostCounters.sum(c.nodes), ops);
      perWrite.put("cpu_us", ops == 0 ? 0.0 : cpu * wall / 1e3 / ops);
      perWrite.put("alloc_bytes", ops == 0 ? 0.0 : (double) Math.round((ProcessStats.allocatedBytes() - alloc0) / (double) ops));
      stop.set(true);
      for (Thread th : threads) {
        th.join(30_000);
      }
      ours.put("writes_per_sec", ops * 1e9 / wall);
      ours.put("p50_ms", h.getValueAtPercentile(50) / 1e6);
      ours.put("p99_ms", h.getValueAtPercentile(99) / 1e6);
      ours.put("p999_ms", h.getValueAtPercentile(99.9) / 1e6);
      ours.put("cpu_cores_per_node", cpu / nodes);
      ours.put("syncs_per_sec", syncs * 1e9 / wall / nodes);
      ours.put("entries_per_sync", syncs == 0 ? 0.0 : entries / (double) syncs);
      ours.put("failed_writes", failed.sum() - failed0);
      Map<String, Long> failedByCause = FailureCauses.since(causes0, causes.snapshot());
      if (!failedByCause.isEmpty()) {
        ours.put("failed_by_cause", failedByCause);
      }
      ours.put("per_write", perWrite);
      System.out.printf("throughput groups=%d nodes=%d clients=%d x %d: %.0f writes/s, p50 %.2f ms, p99 %.2f ms, %.0f syncs/s/node, %.1f entries/sync%n",
          groupCount, nodes, clients, outstanding, ops * 1e9 / wall, h.getValueAtPercentile(50) / 1e6,
          h.getValueAtPercentile(99) / 1e6, syncs * 1e9 / wall / nodes, syncs == 0 ? 0.0 : entries / (double) syncs);
      System.out.println("  per write: " + perWrite);
      if (!failedByCause.isEmpty()) {
        System.out.println("  failed writes by cause: " + failedByCause);
      }
    } finally {
      IdleScenario.deleteTree(dir);
    }
    return ours;
  }

  private void clientLoop(InProcessCluster c, int client, int groupCount, AtomicLongArray leaderOf, byte[] data,
      Recorder recorder, LongAdder done, LongAdder failed, FailureCauses causes, AtomicBoolean stop) {
    Semaphore permits = new Semaphore(outstanding);
    int next = client;
    while (!stop.get()) {
      try {
        if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      int g = 1 + (next % groupCount);
      next += clients;
      long leader = leaderOf.get(g);
      MultiRaftNode node = c.nodes.get((int) Math.max(0, leader - 1));
      long start = System.nanoTime();
      CompletableFuture<Object> f = node.propose(g, data);
      f.whenComplete((r, e) -> {
        if (e == null) {
          recorder.recordValue(Math.max(1, System.nanoTime() - start));
          done.increment();
        } else {
          failed.increment();
          causes.record(e);
          Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
          if (cause instanceof RaftException.NotLeader nl && nl.leaderHint() != 0) {
            leaderOf.set(g, nl.leaderHint());
          }
        }
        permits.release();
      });
    }
  }
}
