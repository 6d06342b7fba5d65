package io.multiraft.rangestore.api;

import io.multiraft.core.ConfChange;
import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import io.multiraft.node.RaftException;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Moves replicas of a range between nodes of an in-process cluster, one safe membership step at a
 * time: a new replica joins as a learner, catches up (by snapshot), and is then promoted; a
 * replica is removed only if the remaining voters that are alive still form a quorum (lesson 15,
 * enforced by Raft itself), and a leader to be removed hands its leadership over first.
 * Blocking, with a deadline per operation.
 */
public final class ReplicaMover {
  private final Map<Long, ? extends NodeHandle> nodes;
  /** A single call to a node waits at most this long, so one hung node cannot hold up a move. */
  static final long CALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
  private final long timeoutMs;
  private final NodeRuntime runtime;

  public ReplicaMover(Map<Long, ? extends NodeHandle> nodes, long timeoutMs) {
    this(nodes, timeoutMs, NodeRuntime.SYSTEM);
  }

  public ReplicaMover(Map<Long, ? extends NodeHandle> nodes, long timeoutMs, NodeRuntime runtime) {
    this.nodes = nodes;
    this.timeoutMs = timeoutMs;
    this.runtime = runtime;
  }

  private <T> T await(CompletableFuture<T> f) {
    return runtime.blocking().await(f, CALL_TIMEOUT_NS);
  }

  /** Adds a voting replica of {@code rangeId} on {@code target}: learner, snapshot, promotion. */
  public ConfState addReplica(long rangeId, long target) {
    long deadline = deadline();
    NodeHandle t = node(target, "add a replica on it");
    GroupStatus st = leaderStatus(rangeId, deadline);
    if (st.conf().voters().contains(target)) {
      return st.conf();
    }
    RangeState led = nodes.get(st.nodeId()) == null ? null : nodes.get(st.nodeId()).localState(rangeId);
    if (led != null) {
      // A lagging replica of an older range over the same keys (the node was away during a split)
      // would overwrite the snapshot's keys with its older writes as it catches up, and its split
      // would reset the new replica's state: let it catch up (or be collected) first.
      await("node " + target + " to catch up with the ranges overlapping " + led.descriptor(), deadline,
          () -> !holdsOlderOverlap(t, led.descriptor()));
    }
    if (!st.conf().isMember(target)) {
      // A replica left there from an earlier membership (the node was away when it was removed),
      // or just created by the catching up above (the lagging range's split creates it with the
      // membership of that time), would catch up by replaying the log through its own removal and
      // delete itself mid-way (sim seed 21): a new membership always starts from an empty replica
      // filled by a snapshot.
      await(t.dropReplica(rangeId));
      EmptyReplica.prepare(site(t, rangeId), rangeId);
    } else if (!hostsGroup(t, rangeId)) {
      // A learner (an add that failed after its learner joined) whose replica is gone: created
      // where none is, so a group found by the prepare appeared meanwhile and must be empty.
      EmptyReplica.prepare(site(t, rangeId), rangeId);
    }
    if (!st.conf().learners().contains(target)) {
      try {
        change(rangeId, ConfChange.addLearner(target), deadline);
      } catch (RuntimeException e) {
        // Not added (the range may have been merged away meanwhile), or added with the answer lost
        // (a timeout): neither the learner nor the empty replica may linger.
        abandonLearner(rangeId, target);
        t.dropReplica(rangeId).exceptionally(x -> null);
        throw e;
      }
    }
    try {
      await("node " + target + " to catch up on range " + rangeId, deadline, () -> {
        GroupStatus s = leaderStatus(rangeId, deadline);
        GroupStatus.PeerProgress p = s.progress().get(target);
        return p != null && p.match() >= s.commit();
      });
      return change(rangeId, ConfChange.addVoter(target), deadline);
    } catch (RuntimeException e) {
      abandonLearner(rangeId, target);
      throw e;
    }
  }

  /** The target's replica of the range, for {@link EmptyReplica}, through this mover's calls. */
  private EmptyReplica.Site site(NodeHandle t, long rangeId) {
    return new EmptyReplica.Site() {
      @Override
      public long nodeId() {
        return t.nodeId();
      }

      @Override
      public void drop() {
        await(t.dropReplica(rangeId));
      }

      @Override
      public void prepare() {
        await(t.prepareReplica(rangeId));
      }

      @Override
      public ConfState conf() {
        return await(t.status(rangeId)).conf();
      }
    };
  }

  /** Whether the node hosts a group of the range; true when it does not say (a slow node's replica is kept). */
  private boolean hostsGroup(NodeHandle t, long rangeId) {
    try {
      await(t.status(rangeId));
      return true;
    } catch (CompletionException e) {
      return !(e.getCause() instanceof RangeException.RangeNotFound);
    }
  }

  /**
   * An add that failed after its learner joined takes the learner out again (best effort; only
   * while it is still a learner, never a voter whose promotion committed unseen): a learner left
   * on a node that went away keeps its leader waiting for it for ever, so the range never idles.
   */
  private void abandonLearner(long rangeId, long target) {
    try {
      long deadline = deadline();
      if (leaderStatus(rangeId, deadline).conf().learners().contains(target)) {
        change(rangeId, ConfChange.remove(target), deadline);
        NodeHandle t = nodes.get(target);
        if (t != null) {
          t.dropReplica(rangeId).exceptionally(x -> null);
        }
      }
    } catch (RuntimeException e) {
      // the range or its leader went away meanwhile: the next relocate removes the learner
    }
  }

  private static boolean holdsOlderOverlap(NodeHandle t, RangeDescriptor d) {
    for (long id : t.localRangeIds()) {
      RangeState o = id == d.rangeId() ? null : t.localState(id);
      if (o != null && o.descriptor().generation() < d.generation()
          && (d.endKey() == null || Keys.compare(o.descriptor().startKey(), d.endKey()) < 0)
          && (o.descriptor().endKey() == null || Keys.compare(o.descriptor().endKey(), d.startKey()) > 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes the replica on {@code target}. Refused with {@link RangeException.Rejected} if it
   * would leave too few live voters; the leader moves away first if it is the one removed.
   */
  public ConfState removeReplica(long rangeId, long target) {
    long deadline = deadline();
    GroupStatus st = leaderStatus(rangeId, deadline);
    if (!st.conf().isMember(target)) {
      return st.conf();
    }
    checkQuorumAfterRemoval(rangeId, st.conf(), target);
    if (st.nodeId() == target) {
      long to = st.conf().voters().stream().filter(v -> v != target).findFirst()
          .orElseThrow(() -> new RangeException.Rejected("node " + target + " holds the only voter of range " + rangeId
              + "; add another replica before removing it"));
      transferLeader(rangeId, to);
    }
    ConfState cs = change(rangeId, ConfChange.remove(target), deadline);
    NodeHandle removed = nodes.get(target);
    if (removed != null) {
      // Leadership may have come back to the target after the hand-over above, so it may have
      // committed its own removal: until it hands over, it may be the only replica that knows the
      // removal committed (commits ride the next append), and the others still need its vote
      // under the old membership. Dropping it then strands the range (sim seed 153455).
      if (awaitLedWithout(rangeId, target, deadline)) {
        // It may never hear that the removal committed (the leader stops talking to it): tell it.
        await(removed.dropReplica(rangeId));
      } // else leave it: the collector drops it once another replica leads without it
    }
    return cs;
  }

  /** Waits until a node other than {@code target} leads the range with a membership without it; false at the deadline. */
  private boolean awaitLedWithout(long rangeId, long target, long deadline) {
    return poll(deadline, () -> {
      for (var e : nodes.entrySet()) {
        if (e.getKey() == target) {
          continue;
        }
        try {
          GroupStatus st = await(e.getValue().status(rangeId));
          if (st.role() == Role.LEADER && !st.conf().isMember(target)) {
            return true;
          }
        } catch (CompletionException absent) {
          // no replica there, or no answer
        }
      }
      return false;
    });
  }

  /**
   * Lesson 15, checked here with what this mover knows of node liveness, before Raft checks it with
   * what the leader heard lately (which lags a failure by up to an election timeout).
   */
  private void checkQuorumAfterRemoval(long rangeId, ConfState conf, long target) {
    if (!conf.voters().contains(target)) {
      return; // a learner: its removal leaves the voters as they are
    }
    Set<Long> remaining = new TreeSet<>(conf.voters());
    remaining.remove(target);
    long alive = remaining.stream().filter(nodes::containsKey).count();
    if (alive < remaining.size() / 2 + 1) {
      throw new RangeException.Rejected("range " + rangeId + ": removing node " + target + " would leave voters " + remaining
          + " of which only " + alive + " are up, short of a quorum of " + (remaining.size() / 2 + 1)
          + "; bring the down nodes back or add a replica first");
    }
  }

  /** Makes {@code targets} the replicas of the range: adds the missing ones first, then removes the extras. */
  public ConfState relocate(long rangeId, Set<Long> targets) {
    if (targets.isEmpty()) {
      throw new RangeException.Rejected("relocate of range " + rangeId + " needs at least one target node");
    }
    for (long t : targets) {
      node(t, "relocate range " + rangeId + " to it");
    }
    ConfState cs = leaderStatus(rangeId, deadline()).conf();
    for (long t : targets) {
      cs = addReplica(rangeId, t);
    }
    // Learners too: one left by an add that failed part-way (its node went down before the promotion)
    // would keep the leader waiting for it to catch up for ever, so the range could never go idle.
    TreeSet<Long> members = new TreeSet<>(cs.voters());
    members.addAll(cs.learners());
    for (long v : members) {
      if (!targets.contains(v)) {
        cs = removeReplica(rangeId, v);
      }
    }
    return cs;
  }

  /** Hands leadership of the range to {@code target} and waits until it leads. */
  public void transferLeader(long rangeId, long target) {
    long deadline = deadline();
    await("node " + target + " to lead range " + rangeId, deadline, () -> {
      GroupStatus s = leaderStatus(rangeId, deadline);
      if (!s.conf().voters().contains(target)) {
        throw new RangeException.Rejected("node " + target + " holds no voting replica of range " + rangeId
            + " (voters " + s.conf().voters() + "); add one there first");
      }
      if (s.nodeId() == target) {
        return true;
      }
      nodes.get(s.nodeId()).transferLeader(rangeId, target).exceptionally(e -> null);
      return false;
    });
  }

  private ConfState change(long rangeId, ConfChange change, long deadline) {
    // A leader elected moments ago has not heard from its followers yet and refuses removals as
    // losing quorum; the liveness check above already passed, so give it a few election timeouts.
    long quorumPatience = Math.min(deadline, runtime.nanoTime() + TimeUnit.SECONDS.toNanos(3));
    while (true) {
      GroupStatus st = leaderStatus(rangeId, deadline);
      try {
        return await(nodes.get(st.nodeId()).changeReplicas(rangeId, change));
      } catch (CompletionException e) {
        Throwable c = e.getCause();
        if (c instanceof RaftException.Dropped d && d.getMessage().contains("quorum") && runtime.nanoTime() > quorumPatience) {
          throw new RangeException.Rejected("range " + rangeId + ": " + change + " refused: " + d.getMessage());
        }
        if (!(c instanceof RangeException.NotLeader || c instanceof RaftException.Dropped || c instanceof RaftException.Timeout)
            || runtime.nanoTime() > deadline) {
          throw c instanceof RuntimeException re ? re : e;
        }
        runtime.blocking().pause(TimeUnit.MILLISECONDS.toNanos(20)); // a change in flight or an election: back off
      }
    }
  }

  /** The status of the range's leader, as seen by the leader itself; waits for one to be elected. */
  private GroupStatus leaderStatus(long rangeId, long deadline) {
    GroupStatus[] found = new GroupStatus[1];
    int[] nowhere = new int[1];
    await("a leader of range " + rangeId, deadline, () -> {
      boolean hosted = false;
      for (NodeHandle s : nodes.values()) {
        try {
          GroupStatus st = await(s.status(rangeId));
          // An empty replica waiting for a snapshot (no membership yet) does not make the range exist.
          hosted |= !st.conf().voters().isEmpty();
          if (st.role() == Role.LEADER) {
            found[0] = st;
            return true;
          }
        } catch (CompletionException e) {
          // no replica there
        }
      }
      // Hosted nowhere, several times in a row (not a replica being created): merged away or never existed.
      if (!hosted && ++nowhere[0] >= 20) {
        throw new RangeException.RangeNotFound(rangeId, "no node hosts it (merged away, or a wrong id)");
      }
      return false;
    });
    return found[0];
  }

  private NodeHandle node(long id, String why) {
    NodeHandle s = nodes.get(id);
    if (s == null) {
      throw new RangeException.Rejected("node " + id + " is unknown or down; cannot " + why + " (known nodes: " + nodes.keySet() + ")");
    }
    return s;
  }

  private long deadline() {
    return runtime.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  private void await(String what, long deadline, Supplier<Boolean> cond) {
    if (!poll(deadline, cond)) {
      throw new RangeException("timed out waiting for " + what);
    }
  }

  /** Checks {@code cond} every 5 ms until it holds (true) or the deadline has passed (false). */
  private boolean poll(long deadline, Supplier<Boolean> cond) {
    while (!cond.get()) {
      if (runtime.nanoTime() > deadline) {
        return false;
      }
      runtime.blocking().pause(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return true;
  }
}
