package io.multiraft.bench;

import io.multiraft.bench.xjvm.Histograms;
import io.multiraft.bench.xjvm.ProcessCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Steps the process-mode scenarios share: the cluster spec, creating groups, sharing out the load. */
final class ProcessRuns {
  static final long CALL_TIMEOUT_MS = 60_000;
  static final long CREATE_TIMEOUT_MS = 600_000;

  private ProcessRuns() {}

  static ProcessCluster.Spec spec(int nodes, int workers, String store, Path runParent) {
    Path parent = runParent != null ? runParent : Path.of(System.getProperty("java.io.tmpdir"));
    List<String> flags = new ArrayList<>(BenchMain.Jmh.forkedJvmFlags());
    // -Dbench.nodeJvmFlags="...": extra flags for every node JVM (a profiler agent, GC logging).
    String extra = System.getProperty("bench.nodeJvmFlags", "").trim();
    if (!extra.isEmpty()) {
      flags.addAll(List.of(extra.split("\\s+")));
    }
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
    return new Election(ready, afterCreate);
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
