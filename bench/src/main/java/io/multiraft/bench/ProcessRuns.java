package io.multiraft.bench;

import io.multiraft.bench.xjvm.Histograms;
import io.multiraft.bench.xjvm.ProcessCluster;
import io.multiraft.node.JvmFlags;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.HdrHistogram.Histogram;

/** Steps the process-mode scenarios share: the cluster spec, creating groups, sharing out the load. */
final class ProcessRuns {
  static final long CALL_TIMEOUT_MS = 60_000;
  static final long CREATE_TIMEOUT_MS = 600_000;

  private ProcessRuns() {}

  static ProcessCluster.Spec spec(int nodes, int workers, String store, Path runParent) {
    Path parent = runParent != null ? runParent : Path.of(System.getProperty("java.io.tmpdir"));
    List<String> flags = new ArrayList<>(BenchMain.Jmh.forkedJvmFlags());
    flags.addAll(JvmFlags.forNode()); // what we recommend for a node process (not given to the peer)
    // -Dbench.nodeJvmFlags="...": extra flags for every node JVM (a profiler agent, GC logging).
    flags.addAll(ExtraJvmFlags.from("bench.nodeJvmFlags"));
    return new ProcessCluster.Spec(nodes, workers, store, parent, flags);
  }

  /** Time from the start of creation until every group has a leader, and from the end of creation. */
  record Election(long readyMs, long afterCreateMs) {}

  /** Creates groups 1..groups on every node at once and waits until each has a leader. */
  static Election createAndElect(ProcessCluster c, int groups) throws InterruptedException {
    Progress.say("creating " + groups + " groups on " + c.live().size() + " nodes");
    long t0 = System.nanoTime();
    c.callAll("create-groups 1 " + groups, CREATE_TIMEOUT_MS);
    long afterCreate = c.await("a leader in each of " + groups + " groups", CREATE_TIMEOUT_MS,
        () -> NodeFigures.sum(c.callAllJson("counts", CALL_TIMEOUT_MS), "leaders") >= groups);
    long ready = (System.nanoTime() - t0) / 1_000_000;
    Progress.say("leaders ready after " + ready + " ms (" + afterCreate + " ms after creation)");
    balanceLeaders(c, groups);
    return new Election(ready, afterCreate);
  }

  private static final int BALANCE_ROUNDS = 3;
  private static final long BALANCE_WAIT_MS = 15_000;

  /**
   * Moves leaders from nodes above an even share to nodes below it by leadership transfer, as the
   * leader rebalancers of CockroachDB and TiKV do. The engine spreads first leaders itself (only
   * the first replica in a per-group order campaigns fast), but on a loaded machine the nodes
   * create their groups seconds apart, and a replica whose peers do not have the group yet loses
   * its fast campaign: runs gave 405 / 357 / 238 and 469 / 245 / 286 of 1,000. Clients run where
   * their group's leader is, so an uneven split skews every figure of the run. Best effort: a few
   * rounds, then the run goes on with what it has.
   */
  static void balanceLeaders(ProcessCluster c, int groups) throws InterruptedException {
    int nodes = c.live().size();
    int cap = (groups + nodes - 1) / nodes;
    Map<Long, List<Long>> led = ledByNode(c);
    String first = shares(led);
    int moved = 0;
    for (int round = 0; round < BALANCE_ROUNDS; round++) {
      ArrayDeque<long[]> deficits = new ArrayDeque<>(); // {node, how many more it should lead}
      led.forEach((node, gs) -> {
        if (gs.size() < cap) {
          deficits.add(new long[] {node, cap - gs.size()});
        }
      });
      Map<Long, String> cmds = new LinkedHashMap<>();
      for (var e : led.entrySet()) {
        StringJoiner moves = new StringJoiner(",");
        List<Long> gs = e.getValue();
        for (int i = cap; i < gs.size() && !deficits.isEmpty(); i++) {
          long[] d = deficits.peek();
          moves.add(gs.get(i) + ":" + d[0]);
          moved++;
          if (--d[1] == 0) {
            deficits.poll();
          }
        }
        if (moves.length() > 0) {
          cmds.put(e.getKey(), "transfer-leaders " + moves);
        }
      }
      if (cmds.isEmpty()) {
        break;
      }
      c.callEach(cmds, CALL_TIMEOUT_MS);
      long deadline = System.nanoTime() + BALANCE_WAIT_MS * 1_000_000;
      while (System.nanoTime() < deadline) {
        var counts = c.callAllJson("counts", CALL_TIMEOUT_MS);
        if (NodeFigures.sum(counts, "leaders") >= groups
            && counts.values().stream().allMatch(m -> NodeFigures.number(m, "leaders") <= cap)) {
          break;
        }
        c.pause(200);
      }
      led = ledByNode(c);
    }
    Progress.say("leaders per node: first elected " + first + ", after " + moved + " transfers " + shares(led));
  }

  private static String shares(Map<Long, List<Long>> led) {
    StringJoiner j = new StringJoiner(" / ");
    led.values().forEach(gs -> j.add(Integer.toString(gs.size())));
    return j.toString();
  }

  /** For each live node, the groups it leads. */
  private static Map<Long, List<Long>> ledByNode(ProcessCluster c) throws InterruptedException {
    Map<Long, List<Long>> out = new LinkedHashMap<>();
    for (var e : c.callAll("led", CALL_TIMEOUT_MS).entrySet()) {
      List<Long> gs = new ArrayList<>();
      for (String item : e.getValue().split(",")) {
        if (!item.isEmpty()) {
          gs.add(Long.parseLong(item.split(":")[0]));
        }
      }
      out.put(e.getKey(), gs);
    }
    return out;
  }

  /**
   * One {@code load-start} per node. The cluster keeps {@code clients × outstanding} writes in
   * flight in total, as the in-process run does: each node runs {@code clients} clients and gets a
   * share of the outstanding writes in proportion to the groups it leads (a node leading none
   * runs no client).
   */
  static Map<Long, String> loadCommands(ProcessCluster c, int groups, int clients, int outstanding, int payload)
      throws InterruptedException {
    Map<Long, String> cmds = new LinkedHashMap<>();
    for (var e : c.callAllJson("counts", CALL_TIMEOUT_MS).entrySet()) {
      long led = NodeFigures.number(e.getValue(), "leaders");
      int share = led == 0 ? 0 : (int) Math.max(1, Math.round(outstanding * (double) led / groups));
      cmds.put(e.getKey(), "load-start " + (led == 0 ? 0 : clients) + " " + share + " " + payload);
    }
    return cmds;
  }

  /** The nodes' latency histograms merged: exact cluster-wide percentiles. */
  static Histogram mergedLatency(Map<Long, Map<String, Object>> loadResults) {
    Histogram all = new Histogram(3);
    for (Map<String, Object> r : loadResults.values()) {
      all.add(Histograms.decode((String) r.get("latency_ns")));
    }
    return all;
  }
}
