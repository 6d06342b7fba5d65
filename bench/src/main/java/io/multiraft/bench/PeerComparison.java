package io.multiraft.bench;

import io.multiraft.bench.peer.PeerRequest;
import io.multiraft.bench.peer.SofaPeer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the peer on the workload a point of ours just ran and puts its figures beside ours:
 * {@code "peer"} and {@code "ratio"} in the point, and a side-by-side table on the console.
 * The peer never fails the run: whatever went wrong is its {@code status}.
 */
final class PeerComparison {
  /** How long the peer may take to elect every leader; its own default, cut in quick runs. */
  static final long LEADERS_BOUND_MS = 150_000;
  static final long QUICK_LEADERS_BOUND_MS = 60_000;

  private PeerComparison() {}

  /** Our throughput workload, for the peer: same nodes, groups, clients × outstanding, payload and times. */
  static PeerRequest throughput(int groups, int nodes, int clients, int outstanding, int payload, int warmupS,
      int seconds, boolean quick, Path runParent) {
    return common(PeerRequest.throughput(groups), nodes, quick, runParent)
        .withLoad(clients, outstanding, payload).withTimes(warmupS, seconds);
  }

  /** Our idle workload, for the peer: same nodes and groups, settle and measured seconds. */
  static PeerRequest idle(int groups, int nodes, int settleS, int seconds, boolean quick, Path runParent) {
    return common(PeerRequest.idle(groups), nodes, quick, runParent).withTimes(settleS, seconds);
  }

  private static PeerRequest common(PeerRequest r, int nodes, boolean quick, Path runParent) {
    PeerRequest out = r.withNodes(nodes).withBounds(quick ? QUICK_LEADERS_BOUND_MS : LEADERS_BOUND_MS, 0);
    return runParent == null ? out : out.withWorkDir(runParent);
  }

  /** Runs the peer, adds {@code "peer"} and {@code "ratio"} to the point, prints both sides; returns the peer's map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> attach(Map<String, Object> point, PeerRequest req) {
    Progress.say("peer sofajraft: " + req.workload() + " groups=" + req.groups() + " nodes=" + req.nodes()
        + " (one child JVM)");
    Map<String, Object> peer = SofaPeer.run(req);
    point.put("peer", peer);
    point.put("ratio", Ratios.of((Map<String, Object>) point.get("ours"), peer));
    SideBySide.lines(point).forEach(Progress::say);
    return peer;
  }

  /** Stands in for a peer run the sweep skipped because a smaller group count already failed. */
  static Map<String, Object> skipped(Map<String, Object> point, int failedAtGroups, Object failedStatus) {
    Map<String, Object> peer = new LinkedHashMap<>();
    peer.put("name", "sofajraft");
    peer.put("status", "skipped");
    peer.put("error", "not run: it already failed at " + failedAtGroups + " groups (" + failedStatus + ")");
    point.put("peer", peer);
    point.put("ratio", Ratios.of(Map.of(), peer));
    Progress.say("peer sofajraft: skipped at " + point.get("groups") + " groups (failed at " + failedAtGroups + ")");
    return peer;
  }

  static boolean ok(Map<String, Object> peer) {
    return "ok".equals(peer.get("status"));
  }
}
