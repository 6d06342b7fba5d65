package io.multiraft.rangestore.sim;

import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Whether the healed cluster settled: every range that has a leader is followed and fully applied
 * by all its voters, which hold the same descriptor and the same values; the led ranges tile the
 * key space without overlap or gap; and no node keeps a replica (a state record) of a range it is
 * not a member of. Looked at ten times a virtual second; {@link #lastProblem} says what is wrong.
 */
final class ConvergenceCheck {
  private final RangeSimulation sim;
  String lastProblem = "not checked yet";

  ConvergenceCheck(RangeSimulation sim) {
    this.sim = sim;
  }

  boolean converged() {
    if (sim.loop.now() % 100_000_000L != 0) {
      return false;
    }
    String p = problem();
    lastProblem = p;
    return p == null;
  }

  private String problem() {
    // rangeId -> nodeId -> state
    TreeMap<Long, TreeMap<Long, RangeState>> states = new TreeMap<>();
    for (SimStoreNode n : sim.nodes.values()) {
      for (RangeState s : n.data().allStates()) {
        states.computeIfAbsent(s.descriptor().rangeId(), x -> new TreeMap<>()).put(n.id, s);
      }
    }
    TreeMap<Long, TreeMap<Long, GroupStatus>> statuses = new TreeMap<>();
    for (long r : states.keySet()) {
      statuses.put(r, statuses(r));
    }
    List<RangeDescriptor> led = new ArrayList<>();
    TreeMap<Long, GroupStatus> leaders = new TreeMap<>();
    for (long r : states.keySet()) {
      GroupStatus leader = null;
      for (GroupStatus s : statuses.get(r).values()) {
        if (s.role() == Role.LEADER && (leader == null || s.term() > leader.term())) {
          leader = s;
        }
      }
      if (leader == null) {
        continue;
      }
      leaders.put(r, leader);
      RangeState ls = states.get(r).get(leader.nodeId());
      if (ls == null) {
        return "range " + r + ": its leader n" + leader.nodeId() + " holds no state";
      }
      for (long v : leader.conf().voters()) {
        GroupStatus s = statuses.get(r).get(v);
        if (s == null) {
          return "range " + r + ": voter n" + v + " hosts no replica (leader n" + leader.nodeId() + ", conf " + leader.conf() + ")";
        }
        if (s.leader() != leader.nodeId() || s.commit() != leader.commit() || s.applied() != leader.commit()) {
          return "range " + r + ": voter n" + v + " not caught up (leader " + s.leader() + " commit " + s.commit() + " applied "
              + s.applied() + " vs leader n" + leader.nodeId() + " commit " + leader.commit() + ")";
        }
        RangeState vs = states.get(r).get(v);
        if (vs == null || !vs.descriptor().equals(ls.descriptor())) {
          return "range " + r + ": voter n" + v + " has descriptor " + (vs == null ? null : vs.descriptor()) + ", leader "
              + ls.descriptor();
        }
        for (String k : SimClients.KEYS) {
          byte[] key = SimClients.key(k);
          if (ls.descriptor().contains(key)
              && !Arrays.equals(sim.nodes.get(v).rawValue(key), sim.nodes.get(leader.nodeId()).rawValue(key))) {
            return "range " + r + ": replicas n" + v + " and n" + leader.nodeId() + " disagree on key " + k;
          }
        }
      }
      if (ls.frozen()) {
        return "range " + r + " stays frozen for a merge that will not happen: " + ls.descriptor();
      }
      led.add(ls.descriptor());
    }
    String tiling = tiling(led);
    if (tiling != null) {
      return tiling;
    }
    for (var e : states.entrySet()) {
      GroupStatus leader = leaders.get(e.getKey());
      for (long n : e.getValue().keySet()) {
        if (leader == null || !leader.conf().isMember(n)) {
          return "stale replica: node n" + n + " keeps range " + e.getKey() + " (" + e.getValue().get(n).descriptor() + ") but "
              + (leader == null ? "the range has no leader" : "is not in its membership " + leader.conf());
        }
      }
    }
    return null;
  }

  private static String tiling(List<RangeDescriptor> led) {
    led.sort(Comparator.comparing(RangeDescriptor::startKey, Keys::compare));
    byte[] at = Keys.MIN;
    for (RangeDescriptor d : led) {
      if (at == null || Keys.compare(d.startKey(), at) != 0) {
        return "descriptors do not tile the key space at " + (at == null ? "the end" : Keys.show(at)) + ": " + led;
      }
      at = d.endKey();
    }
    return at == null ? null : "descriptors do not tile the key space: nothing after " + Keys.show(at) + ": " + led;
  }

  private TreeMap<Long, GroupStatus> statuses(long rangeId) {
    Map<Long, CompletableFuture<GroupStatus>> fs = new TreeMap<>();
    for (SimStoreNode n : sim.nodes.values()) {
      if (n.up()) {
        fs.put(n.id, n.store.raft().status(rangeId));
      }
    }
    sim.pumpAll();
    TreeMap<Long, GroupStatus> out = new TreeMap<>();
    for (var e : fs.entrySet()) {
      if (e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
        out.put(e.getKey(), e.getValue().join());
      }
    }
    return out;
  }
}
