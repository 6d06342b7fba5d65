package io.multiraft.bench;

import io.multiraft.bench.xjvm.ClusterFailure;
import io.multiraft.bench.xjvm.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code failover}: G groups under write load on N node JVMs; kill -9 of one node, then the time
 * until every group it led has a new leader on another node, and the survivors' CPU meanwhile.
 *
 * <p>Each node stamps (wall clock, microseconds) when its replica of a group became leader, so
 * {@code failover_ms} is exact per group and not rounded up to the driver's polling;
 * {@code detected_ms} is when the driver saw the last one.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Time for the groups of a killed node (kill -9) to get new leaders, on node JVMs under write load.")
final class FailoverScenario implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--groups", defaultValue = "1000")
  int groups;

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

  @Option(names = "--warmup", defaultValue = "3", description = "Seconds of load before the kill.")
  int warmup;

  @Option(names = "--victim", defaultValue = "0", description = "Node to kill (default 0: the one leading the most groups).")
  long victim;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for the new leaders.")
  int timeout;

  @Option(names = "--store", defaultValue = "rocks", description = "Log store: rocks (one RocksDB per node, synced) or memory.")
  String store;

  @Option(names = "--quick", description = "Smoke run: 100 groups, 1 s warm-up (options given explicitly win).")
  boolean quick;

  @Option(names = "--run-dir", description = "Parent of the per-run directory of node data and logs (default: java.io.tmpdir).")
  Path runDir;

  @Option(names = "--json", description = "Write the result to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (quick) {
      ParseResult given = spec.commandLine().getParseResult();
      groups = given.hasMatchedOption("--groups") ? groups : 100;
      warmup = given.hasMatchedOption("--warmup") ? warmup : 1;
    }
    if (nodes < 3 || groups < 1 || workers < 0 || clients < 1 || outstanding < 1 || payload < 0 || warmup < 0
        || timeout < 1 || victim < 0 || victim > nodes) {
      throw new ParameterException(spec.commandLine(),
          "need --nodes >= 3 (a majority must survive), positive counts and 0 <= --victim <= --nodes");
    }
    if (!store.equals("rocks") && !store.equals("memory")) {
      throw new ParameterException(spec.commandLine(), "--store must be rocks or memory");
    }
    workers = WorkerShare.resolve(workers, nodes);
    Map<String, Object> ours;
    try {
      ours = run();
    } catch (ClusterFailure e) {
      spec.commandLine().getErr().println("bench failover: run failed: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
    if (json != null) {
      Files.writeString(json, Json.write(Results.point("failover", groups, nodes, payload, Mode.processes.name(), ours)));
      Progress.say("results written to " + json);
    }
    return 0;
  }

  private Map<String, Object> run() throws Exception {
    Map<String, Object> ours = new LinkedHashMap<>();
    try (ProcessCluster c = ProcessCluster.start(ProcessRuns.spec(nodes, workers, store, runDir), Progress::say)) {
      ProcessRuns.Election e = ProcessRuns.createAndElect(c, groups);
      c.callEach(ProcessRuns.loadCommands(c, groups, clients, outstanding, payload), ProcessRuns.CALL_TIMEOUT_MS);
      Progress.say("load started; killing a node in " + warmup + " s");
      c.pause(warmup * 1000L);
      Map<Long, Map<Long, Long>> led = ledByNode(c);
      long v = victim != 0 ? victim
          : Collections.max(led.entrySet(), Map.Entry.comparingByValue((a, b) -> a.size() - b.size())).getKey();
      Set<Long> orphaned = led.get(v).keySet();
      var s0 = c.callAllJson("stats", ProcessRuns.CALL_TIMEOUT_MS);
      long killMicros = epochMicros();
      long t0 = System.nanoTime();
      c.kill(v);
      Progress.say("killed node " + v + " (kill -9) at " + java.time.LocalTime.ofNanoOfDay(
              java.time.LocalTime.now().toNanoOfDay() - (System.nanoTime() - t0)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
          + " (to line up with the nodes' logs), which led " + orphaned.size() + " groups");
      Map<Long, Long> newSince = new HashMap<>();
      c.await("new leaders for the " + orphaned.size() + " groups node " + v + " led", timeout * 1000L, () -> {
        newSince.clear();
        ledByNode(c).values().forEach(newSince::putAll);
        return newSince.keySet().containsAll(orphaned);
      });
      long detectedMs = (System.nanoTime() - t0) / 1_000_000;
      var s1 = c.callAllJson("stats", ProcessRuns.CALL_TIMEOUT_MS);
      double wallNs = System.nanoTime() - t0;
      var load = c.callAllJson("load-stop", ProcessRuns.CALL_TIMEOUT_MS);
      List<Double> ms = new ArrayList<>();
      for (long g : orphaned) {
        ms.add(Math.max(0, newSince.get(g) - killMicros) / 1000.0);
      }
      Collections.sort(ms);
      ours.put("victim", v);
      ours.put("groups_moved", orphaned.size());
      ours.put("failover_ms", ms.isEmpty() ? 0.0 : ms.get(ms.size() - 1));
      ours.put("first_new_leader_ms", ms.isEmpty() ? 0.0 : ms.get(0));
      ours.put("median_new_leader_ms", ms.isEmpty() ? 0.0 : ms.get(ms.size() / 2));
      ours.put("detected_ms", detectedMs);
      ours.put("survivors_cpu_cores_per_node", NodeFigures.delta(s0, s1, "cpu_ns") / wallNs / s1.size());
      ours.put("survivors_wire_msgs_per_sec", NodeFigures.delta(s0, s1, "wire_msgs_sent") * 1e9 / wallNs);
      ours.put("survivors_failed_writes", NodeFigures.sum(load, "failed"));
      ours.put("survivors_prevotes_sent", NodeFigures.delta(s0, s1, "prevotes_sent"));
      ours.put("survivors_votes_sent", NodeFigures.delta(s0, s1, "votes_sent"));
      ours.put("survivors_groups_woken", NodeFigures.delta(s0, s1, "groups_woken"));
      ours.put("leaders_ready_ms", e.readyMs());
      ours.put("leaders_per_node_before", led.entrySet().stream()
          .map(x -> x.getKey() + ":" + x.getValue().size()).collect(Collectors.joining(",")));
      Progress.say(String.format("failover groups=%d: node %d's %d groups re-led in %.0f ms (first %.0f, median %.0f),"
              + " seen after %d ms; survivors %.2f cores/node meanwhile", groups, v, orphaned.size(),
          (double) ours.get("failover_ms"), (double) ours.get("first_new_leader_ms"),
          (double) ours.get("median_new_leader_ms"), detectedMs, (double) ours.get("survivors_cpu_cores_per_node")));
      Progress.say(String.format("survivors meanwhile: %d pre-votes and %d votes sent, %d groups woken",
          (long) ours.get("survivors_prevotes_sent"), (long) ours.get("survivors_votes_sent"),
          (long) ours.get("survivors_groups_woken")));
    }
    return ours;
  }

  /** For each live node: the groups it leads, each with the epoch microseconds it became leader. */
  private static Map<Long, Map<Long, Long>> ledByNode(ProcessCluster c) throws InterruptedException {
    Map<Long, Map<Long, Long>> out = new LinkedHashMap<>();
    for (var e : c.callAll("led", ProcessRuns.CALL_TIMEOUT_MS).entrySet()) {
      Map<Long, Long> m = new HashMap<>();
      for (String item : e.getValue().split(",")) {
        if (!item.isEmpty()) {
          String[] kv = item.split(":");
          m.put(Long.parseLong(kv[0]), Long.parseLong(kv[1]));
        }
      }
      out.put(e.getKey(), m);
    }
    return out;
  }

  private static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
