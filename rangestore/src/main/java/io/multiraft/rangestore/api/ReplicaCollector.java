package io.multiraft.rangestore.api;

import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Repairs replicas that no Raft message will ever repair, on an in-process cluster, by asking the
 * range's current leader:
 * <ul>
 *   <li>a <em>stale replica</em>: a node that was down or cut off while it was removed from a range
 *   (or while the range was merged away) never hears of it, since the leader stops talking to
 *   non-members; it keeps the range's state and group forever. It is dropped here when the leader
 *   with the highest term says the node is not a member (or, for a range with no leader, when the
 *   range's span now belongs to a newer range that has one: it was merged away);</li>
 *   <li>a <em>voter without a replica</em>: a node listed in the membership whose empty replica was
 *   lost (a crash before its creation was durable) ignores everything the leader sends. An empty
 *   replica is created here, and the leader's snapshot fills it. So is a member that holds the
 *   range's state but no Raft group (its group's creation failed, or a late removal deleted it),
 *   after its state is dropped: without a group it never votes or applies again;</li>
 * </ul>
 * Either empty replica is prepared through {@link EmptyReplica}, since a split's late creation of
 * the group can land first.
 * A finding acts only if the previous sweep found the same: a replica being added (created empty,
 * not yet in the membership) or removed is not mistaken for a broken one. Blocking; run it
 * periodically from a coordinator thread. In-process it may repair every node; a server runs one
 * per node, which repairs only its own replicas and learns of the others from their reports.
 */
public final class ReplicaCollector {
  private final java.util.function.Supplier<List<ReplicaSource>> sources;
  private final java.util.function.LongPredicate repairs;
  private Set<String> suspects = new HashSet<>();
  private List<RangeDescriptor> led;
  private long dropped;
  private long created;

  /** Repairs every node of an in-process cluster: the nodes in {@code nodes} at each sweep (it may change). */
  public ReplicaCollector(Map<Long, RangeStore> nodes, NodeRuntime runtime) {
    this(() -> nodes.values().stream().map(s -> ReplicaSource.of(s, runtime)).toList(), id -> true);
  }

  /**
   * The nodes as they are now: every loop asks again, since a sweep blocks on its calls and an
   * in-process node may go down or come back meanwhile (a node gone is not waited for).
   */
  private List<ReplicaSource> nodes() {
    return sources.get();
  }

  /** Looks at all {@code nodes}; repairs the replicas of the nodes {@code repairs} accepts. */
  public ReplicaCollector(List<ReplicaSource> nodes, java.util.function.LongPredicate repairs) {
    this(() -> nodes, repairs);
  }

  private ReplicaCollector(java.util.function.Supplier<List<ReplicaSource>> sources, java.util.function.LongPredicate repairs) {
    this.sources = sources;
    this.repairs = repairs;
  }

  public long dropped() {
    return dropped;
  }

  public long created() {
    return created;
  }

  /** One pass over every range any node knows of; returns how many replicas it dropped or created. */
  public int sweep() {
    TreeSet<Long> ids = new TreeSet<>();
    for (ReplicaSource s : nodes()) {
      s.refresh();
      ids.addAll(s.localRangeIds());
      for (RangeDescriptor d : s.knownRanges()) {
        ids.add(d.rangeId());
      }
    }
    Set<String> found = new HashSet<>();
    led = null;
    int acted = 0;
    for (long id : ids) {
      acted += sweep(id, found);
    }
    suspects = found;
    return acted;
  }

  private int sweep(long rangeId, Set<String> found) {
    TreeMap<Long, GroupStatus> statuses = new TreeMap<>();
    GroupStatus leader = null;
    ReplicaSource leaderNode = null;
    for (ReplicaSource s : nodes()) {
      GroupStatus st = s.status(rangeId);
      if (st == null) {
        continue; // not hosted there, or no answer
      }
      statuses.put(s.nodeId(), st);
      if (st.role() == Role.LEADER && (leader == null || st.term() > leader.term())) {
        leader = st;
        leaderNode = s;
      }
    }
    ReplicaSource leaderNow = null;
    for (ReplicaSource s : leaderNode == null ? List.<ReplicaSource>of() : nodes()) {
      if (s.nodeId() == leaderNode.nodeId()) {
        leaderNow = s; // as it is now: the status calls above block, and it may have gone
      }
    }
    RangeState leaderState = leaderNow == null ? null : leaderNow.localState(rangeId);
    if (leaderState != null && leaderState.frozen() && mergedAway(leaderState.descriptor())) {
      // A frozen range whose keys newer ranges now own was merged away; a replica that never
      // applied the merge (its node was away) can still lead what is left of its group. Not a leader.
      leader = null;
      leaderState = null;
    }
    int acted = 0;
    for (ReplicaSource s : nodes()) {
      long n = s.nodeId();
      if (!repairs.test(n)) {
        continue;
      }
      RangeState local = s.localState(rangeId);
      GroupStatus own = statuses.get(n);
      boolean holds = local != null || own != null;
      if (leader != null) {
        if (holds && !leader.conf().isMember(n) && (own == null || own.term() <= leader.term())
            && n != leader.nodeId()) {
          // (Not the leader itself: one that committed its own removal is handing leadership over,
          // and the others may still need its vote and the commit it holds.)
          acted += act(found, "drop " + rangeId + " on " + n, () -> {
            s.dropReplica(rangeId);
            dropped++;
          });
        } else if (!holds && leader.conf().isMember(n) && !s.isTombstoned(rangeId) && !overlapsLocal(s, leaderState)) {
          // Not over a tombstone: the range was merged away or the replica removed here, and a
          // leader still listing it is a lagging replica of a dead range (re-creating would revive it).
          acted += act(found, "create " + rangeId + " on " + n, () -> {
            EmptyReplica.prepare(site(s, rangeId), rangeId);
            created++;
          });
        } else if (local != null && own == null && leader.conf().isMember(n) && leaderState != null && !leaderState.frozen()
            && !overlapsLocal(s, leaderState) && s.groupMissing(rangeId)) {
          // A state without a group: the member votes and applies nothing for good (its group's
          // creation failed, or a late removal deleted it). Its group is not re-created from that
          // state: the log that went with it held votes and acknowledgements the state does not
          // record, so that replica could vote against what it acknowledged. The state is dropped
          // (the node is marked as a former replica: the empty one does not vote) and the leader's
          // snapshot fills an empty replica. Not while the range is frozen: a merge may be about
          // to take its keys from this node's data.
          acted += act(found, "re-create " + rangeId + " on " + n, () -> {
            s.dropReplica(rangeId);
            EmptyReplica.prepare(site(s, rangeId), rangeId);
            created++;
          });
        }
      } else if (local != null && mergedAway(local.descriptor()) && !lagsMergeOf(s, local.descriptor())) {
        acted += act(found, "drop " + rangeId + " on " + n, () -> {
          s.dropReplica(rangeId);
          dropped++;
        });
      }
    }
    return acted;
  }

  /**
   * Whether {@code s} holds another range overlapping the led range's span: a lagging replica of
   * the range it split from, whose split will create it there (an empty replica filled by a snapshot
   * meanwhile would have its keys overwritten by the lagging range's older writes).
   */
  private static boolean overlapsLocal(ReplicaSource s, RangeState led) {
    if (led == null) {
      return true; // the leader's span is unknown: wait for the next sweep
    }
    RangeDescriptor d = led.descriptor();
    for (long id : s.localRangeIds()) {
      RangeState o = s.localState(id);
      if (o != null && id != d.rangeId()
          && (d.endKey() == null || Keys.compare(o.descriptor().startKey(), d.endKey()) < 0)
          && (o.descriptor().endKey() == null || Keys.compare(o.descriptor().endKey(), d.startKey()) > 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code s} holds a lagging replica of the range just left of {@code d}, one its leader has
   * moved past: the merge of {@code d} into it may still be in its log, and applying that merge
   * takes {@code d}'s data from the replica here. Dropping {@code d} first would lose those keys on
   * this node (the merge would extend the left range over an empty span, and a later snapshot from
   * this node would spread the loss). The left replica's catching up (by its log or by a snapshot
   * that subsumes {@code d}) removes {@code d} itself; a stale left replica is dropped first.
   */
  private boolean lagsMergeOf(ReplicaSource s, RangeDescriptor d) {
    for (long id : s.localRangeIds()) {
      RangeState o = s.localState(id);
      if (o == null || id == d.rangeId() || o.descriptor().endKey() == null
          || Keys.compare(o.descriptor().endKey(), d.startKey()) != 0) {
        continue;
      }
      RangeDescriptor current = null;
      for (RangeDescriptor l : ledRanges()) {
        if (l.rangeId() == id && (current == null || l.generation() > current.generation())) {
          current = l;
        }
      }
      if (current == null || current.generation() > o.descriptor().generation()) {
        return true; // behind its leader, or no leader to compare with: wait for a later sweep
      }
    }
    return false;
  }

  /**
   * Whether ranges that have a leader and a newer generation now cover the whole span of {@code d}:
   * live ranges never overlap, so {@code d} was merged away (and its successor maybe split again).
   */
  private boolean mergedAway(RangeDescriptor d) {
    List<RangeDescriptor> led = ledRanges();
    byte[] at = d.startKey();
    while (true) {
      RangeDescriptor next = null;
      for (RangeDescriptor o : led) {
        if (o.rangeId() != d.rangeId() && o.generation() > d.generation() && o.contains(at)) {
          next = o;
        }
      }
      if (next == null) {
        return false;
      }
      if (next.endKey() == null || (d.endKey() != null && Keys.compare(next.endKey(), d.endKey()) >= 0)) {
        return true;
      }
      at = next.endKey();
    }
  }

  /** The descriptors of the ranges led by some node, as their leaders applied them (computed once per sweep). */
  private List<RangeDescriptor> ledRanges() {
    if (led != null) {
      return led;
    }
    led = new ArrayList<>();
    for (ReplicaSource s : nodes()) {
      for (long id : s.localRangeIds()) {
        GroupStatus gs = s.status(id); // null: not hosted or no answer, not counted
        RangeState st = s.localState(id);
        if (gs != null && gs.role() == Role.LEADER && st != null) {
          led.add(st.descriptor());
        }
      }
    }
    return led;
  }

  /** The node's replica of the range, for {@link EmptyReplica}. */
  private static EmptyReplica.Site site(ReplicaSource s, long rangeId) {
    return new EmptyReplica.Site() {
      @Override
      public long nodeId() {
        return s.nodeId();
      }

      @Override
      public void drop() {
        s.dropReplica(rangeId);
      }

      @Override
      public void prepare() {
        s.prepareReplica(rangeId);
      }

      @Override
      public ConfState conf() {
        GroupStatus st = s.statusNow(rangeId);
        if (st == null) {
          throw new RangeException("node " + s.nodeId() + " did not show the replica of range " + rangeId + " it prepared");
        }
        return st.conf();
      }
    };
  }

  private int act(Set<String> found, String what, Runnable action) {
    found.add(what);
    if (!suspects.contains(what)) {
      return 0; // seen once: it may be a move in progress; act if the next sweep sees it again
    }
    try {
      action.run();
      return 1;
    } catch (RuntimeException e) {
      return 0; // the node went away or the change raced; the next sweep looks again
    }
  }
}
