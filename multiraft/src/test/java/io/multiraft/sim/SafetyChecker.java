package io.multiraft.sim;

import io.multiraft.core.Entry;
import io.multiraft.node.RaftObserver;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Raft's safety properties, checked as the nodes act: at most one leader per term per group; the
 * same entry applied at the same index on every replica (so committed entries never change); a
 * replica applies indexes in increasing order; commit never goes backwards within one life of a
 * replica. The first violation is kept; the simulation stops at it.
 */
final class SafetyChecker implements RaftObserver, SimKv.ApplyListener {
  private record Applied(long term, long hash, long node) {}

  private final Map<Long, Long> leaderOf = new HashMap<>(); // (group, term) -> node
  private final Map<Long, Map<Long, Applied>> appliedAt = new HashMap<>(); // group -> index -> entry
  private final Map<Long, Long> lastApplied = new HashMap<>(); // (node, group) -> index
  private final Map<Long, Long> commitOf = new HashMap<>(); // (node, group) -> commit
  private final Trace trace;
  private final EventLoop loop;
  String violation;

  SafetyChecker(Trace trace, EventLoop loop) {
    this.trace = trace;
    this.loop = loop;
  }

  private static long key(long a, long b) {
    return a * 1_000_003L + b;
  }

  private void fail(String what) {
    if (violation == null) {
      violation = what;
      trace.add(loop.now(), "VIOLATION " + what);
    }
  }

  @Override
  public void onLeader(long node, long group, long term) {
    trace.add(loop.now(), "n" + node + " g" + group + " leader term " + term);
    Long prev = leaderOf.putIfAbsent(key(group, term), node);
    if (prev != null && prev != node) {
      fail("group " + group + " term " + term + " has two leaders: node " + prev + " and node " + node);
    }
  }

  @Override
  public void onCommit(long node, long group, long term, long commit) {
    Long prev = commitOf.put(key(node, group), commit);
    if (prev != null && commit < prev) {
      fail("node " + node + " group " + group + " commit went back from " + prev + " to " + commit);
    }
  }

  /** The node restarted: its in-memory commit index may legitimately start lower. */
  void restarted(long node) {
    commitOf.keySet().removeIf(k -> k / 1_000_003L == node);
  }

  /**
   * The node's replica of the group was removed: one created there again starts empty, its commit
   * and applied indexes from 0 (seed 106, with fewer heartbeats to busy followers).
   */
  void replicaRemoved(long node, long group) {
    commitOf.remove(key(node, group));
    lastApplied.remove(key(node, group));
  }

  @Override
  public void applied(long node, long group, Entry e) {
    long h = Arrays.hashCode(e.data());
    Applied mine = new Applied(e.term(), h, node);
    Applied first = appliedAt.computeIfAbsent(group, g -> new HashMap<>()).putIfAbsent(e.index(), mine);
    if (first != null && (first.term != e.term() || first.hash != h)) {
      fail("group " + group + " index " + e.index() + ": node " + node + " applied term " + e.term()
          + " but node " + first.node + " applied term " + first.term + " (different entries)");
    }
    Long last = lastApplied.put(key(node, group), e.index());
    if (last != null && e.index() <= last) {
      fail("node " + node + " group " + group + " applied index " + e.index() + " after " + last);
    }
  }

  /** A snapshot replaced the state: applying restarts after its index. */
  void restored(long node, long group, long index) {
    lastApplied.put(key(node, group), index);
  }
}
