package io.multiraft.rangestore.api;

import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import io.multiraft.node.RaftException;
import io.multiraft.rangestore.kv.KvCommand;
import io.multiraft.rangestore.kv.KvResult;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Merges a range with its right neighbour on in-process nodes: align the right range's replicas
 * with the left's (membership changes), wait until every replica of the left range holds state,
 * freeze the right range, wait until every replica of it applied the freeze, then commit the merge in the left range's log, which extends the left range
 * over the right's data in place and removes the right group everywhere. A merge the left range
 * refuses (it split meanwhile) rolls back by unfreezing the right range; a merge whose outcome is
 * unknown is proposed again (the generations make the copy a no-op), never rolled back blindly.
 */
public final class RangeMerger {
  private final Map<Long, ? extends NodeHandle> nodes;
  private final ReplicaMover mover;
  private final long timeoutMs;
  private final NodeRuntime runtime;
  private volatile Runnable beforeCommit = () -> {};

  public RangeMerger(Map<Long, ? extends NodeHandle> nodes, long timeoutMs) {
    this(nodes, timeoutMs, NodeRuntime.SYSTEM);
  }

  public RangeMerger(Map<Long, ? extends NodeHandle> nodes, long timeoutMs, NodeRuntime runtime) {
    this.nodes = nodes;
    this.mover = new ReplicaMover(nodes, timeoutMs, runtime);
    this.timeoutMs = timeoutMs;
    this.runtime = runtime;
  }

  /** Merges {@code leftId} with the range that starts where it ends; returns the merged descriptor. */
  public synchronized RangeDescriptor merge(long leftId) {
    long deadline = runtime.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    RangeDescriptor left = onLeader(leftId, s -> s.descriptor(leftId), deadline);
    if (left.endKey() == null) {
      throw new RangeException.Rejected("range " + leftId + " ends the key space; it has no right neighbour to merge with");
    }
    RangeState leftState = onLeader(leftId, s -> CompletableFuture.completedFuture(s.localState(leftId)), deadline);
    if (leftState != null && leftState.frozen()) {
      // Frozen for a merge into its own left neighbour (maybe merged away already, its group led by
      // a replica that has not applied that merge): it would refuse this merge only after the right
      // range froze, and a refusal that times out leaves the right range frozen (sim seed 53761).
      throw new RangeException.Rejected("range " + leftId + " is frozen for a merge into its left neighbour; refresh and retry");
    }
    long rightId = neighbourAt(left.endKey());
    RangeDescriptor right = onLeader(rightId, s -> s.descriptor(rightId), deadline);
    if (!java.util.Arrays.equals(right.startKey(), left.endKey())) {
      throw new RangeException.Rejected("ranges " + left + " and " + right + " are not adjacent; refresh and retry");
    }
    if (!right.nodeIds().equals(left.nodeIds())) {
      mover.relocate(rightId, left.nodeIds());
      right = onLeader(rightId, s -> s.descriptor(rightId), deadline);
    }
    awaitLeftInitialized(left, deadline);
    long gen = right.generation();
    KvResult.Frozen frozen;
    try {
      frozen = (KvResult.Frozen) onLeader(rightId, s -> s.propose(rightId, new KvCommand.Freeze(leftId, gen)), deadline);
    } catch (RangeException.Rejected refused) {
      throw refused; // the freeze was refused: nothing to undo
    } catch (RuntimeException unknown) {
      // The freeze may have applied though its answer was lost: thaw, or the range refuses writes forever.
      thaw(rightId, gen, unknown);
      throw unknown;
    }
    try {
      awaitFrozenEverywhere(right, frozen.index(), deadline);
    } catch (RuntimeException notEverywhere) {
      // Nothing is proposed in the left range yet, so thawing is safe; without it the right range
      // would refuse writes forever.
      thaw(rightId, gen, notEverywhere);
      throw notEverywhere;
    }
    beforeCommit.run();
    RangeDescriptor frozenRight;
    try {
      frozenRight = settledReplicas(rightId, deadline);
    } catch (RuntimeException unknown) {
      thaw(rightId, gen, unknown); // nothing proposed in the left range yet
      throw unknown;
    }
    if (!frozenRight.replicas().equals(right.replicas())) {
      RangeException.Rejected changed = new RangeException.Rejected("the replicas of range " + rightId + " changed while it froze ("
          + right.replicas() + " -> " + frozenRight.replicas() + "); merge again");
      thaw(rightId, frozenRight.generation(), changed); // the change bumped the generation
      throw changed;
    }
    KvCommand.Merge merge = new KvCommand.Merge(frozenRight, left.generation());
    while (true) {
      try {
        KvResult.Merged m = (KvResult.Merged) onLeader(leftId, s -> s.propose(leftId, merge), deadline);
        return m.left();
      } catch (RangeException.Rejected refused) {
        RangeDescriptor now = onLeader(leftId, s -> s.descriptor(leftId), deadline);
        if (now.containsSpan(frozenRight.startKey(), frozenRight.endKey())) {
          return now; // an earlier copy of this merge applied
        }
        unfreeze(rightId, gen, deadline);
        throw new RangeException.Rejected("merge of range " + rightId + " into range " + leftId + " rolled back: " + refused.getMessage());
      } catch (RangeException timedOut) {
        if (runtime.nanoTime() > deadline) {
          throw new RangeException("merge of range " + rightId + " into range " + leftId + ": outcome unknown after "
              + timeoutMs + " ms; range " + rightId + " stays frozen; run the merge again to finish or roll it back", timedOut);
        }
      }
    }
  }

  /**
   * Resolves a right range left frozen by a merge no coordinator is finishing (its coordinator
   * died between the freeze and the commit, or gave up with the outcome unknown): the range
   * refuses writes until someone does. If the left neighbour {@code leftId} already covers it,
   * the merge applied and there is nothing to do. If the left range's replicas differ from the
   * right's, its generation moved past the one the merge was proposed at (the replicas were
   * aligned before the freeze, and a frozen range refuses replica changes), so the merge can never
   * commit: the right range is unfrozen. Otherwise the merge is run again, which commits it (its
   * data is final at the freeze) or rolls it back if the left range refuses.
   *
   * @param leftId the left neighbour, as the caller's node knows it; 0 when that node (which leads
   *     the frozen range) holds no state of a range ending where this one starts. The merger froze
   *     the range only after aligning its replicas with the left range's and seeing each of them
   *     hold the left range's state, so the left range's replicas changed since (or it was merged
   *     away): the merge, proposed at its old generation, can never commit, and the range is unfrozen
   * @return what was done: {@code "merged"}, {@code "unfrozen"} or {@code "none"} (not frozen, or merged already)
   */
  public synchronized String resolveFrozen(long rightId, long leftId) {
    long deadline = runtime.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    RangeState rs = onLeader(rightId, s -> CompletableFuture.completedFuture(s.localState(rightId)), deadline);
    if (rs == null || !rs.frozen()) {
      return "none";
    }
    RangeDescriptor right = rs.descriptor();
    if (leftId <= 0) {
      unfreeze(rightId, right.generation(), deadline);
      return "unfrozen";
    }
    RangeDescriptor left = onLeader(leftId, s -> s.descriptor(leftId), deadline);
    if (left.containsSpan(right.startKey(), right.endKey())) {
      return "none";
    }
    if (left.endKey() == null || !java.util.Arrays.equals(left.endKey(), right.startKey())) {
      throw new RangeException.Rejected("range " + leftId + " (" + left + ") is not the left neighbour of frozen range " + right);
    }
    if (!left.nodeIds().equals(right.nodeIds())) {
      unfreeze(rightId, right.generation(), deadline);
      return "unfrozen";
    }
    try {
      merge(leftId);
      return "merged";
    } catch (RangeException.Rejected rolledBack) {
      RangeState after = onLeader(rightId, s -> CompletableFuture.completedFuture(s.localState(rightId)), deadline);
      if (after != null && after.frozen()) {
        throw rolledBack;
      }
      return "unfrozen";
    }
  }

  private void unfreeze(long rightId, long generation, long deadline) {
    onLeader(rightId, s -> s.propose(rightId, new KvCommand.Unfreeze(generation)), deadline);
  }

  /** Unfreezes the right range after a merge abandoned before its commit was proposed (best effort: reported on {@code cause}). */
  private void thaw(long rightId, long gen, RuntimeException cause) {
    long deadline = runtime.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      try {
        unfreeze(rightId, gen, deadline);
        return;
      } catch (RangeException.RangeNotFound gone) {
        // We froze it, so it exists: its replicas are down or still catching up with the split
        // that made it (sim seed 99555). Keep trying until the deadline, or it stays frozen for ever.
        if (runtime.nanoTime() >= deadline) {
          cause.addSuppressed(gone);
          return;
        }
        runtime.blocking().pause(TimeUnit.MILLISECONDS.toNanos(100));
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
        return;
      }
    }
  }

  /** The range owning {@code key} per the freshest routing among the nodes (some hold no replica of it). */
  private long neighbourAt(byte[] key) {
    RangeDescriptor best = null;
    for (NodeHandle s : nodes.values()) {
      RangeDescriptor d = s.routeOf(key);
      if (d != null && (best == null || d.generation() > best.generation())) {
        best = d;
      }
    }
    if (best == null) {
      throw new RangeException.RangeNotFound(0, "no node knows the range at " + io.multiraft.rangestore.range.Keys.show(key));
    }
    return best.rangeId();
  }

  /** Tests: runs between the freeze and the merge commit (to make the left range change meanwhile). */
  void beforeCommit(Runnable r) {
    beforeCommit = r;
  }

  /**
   * Waits until every replica of the left range holds state. One that holds none (its node missed
   * the split that created the range, or its replica awaits its first snapshot) gets the range
   * later from a snapshot, and one taken before the merge makes it replay the merge, which takes
   * the right range's keys from the replica of it on that node: by then the collector may have
   * dropped that one as merged away, and the merged range would lack those keys there for good.
   * A left replica with state keeps its right neighbour until it applied the merge (the collector
   * waits for a lagging left replica), so only uninitialized ones must be excluded.
   */
  private void awaitLeftInitialized(RangeDescriptor left, long deadline) {
    for (long n : left.nodeIds()) {
      NodeHandle s = nodes.get(n);
      if (s == null) {
        throw new RangeException.Rejected("node " + n + " holds a replica of range " + left.rangeId() + " but is down; merge when it is back");
      }
      while (s.localState(left.rangeId()) == null) {
        if (runtime.nanoTime() > deadline) {
          throw new RangeException("timed out waiting for node " + n + " to hold state of range " + left.rangeId()
              + " (its replica has not received the range yet)");
        }
        runtime.blocking().pause(TimeUnit.MILLISECONDS.toNanos(2));
      }
    }
  }

  /**
   * The frozen range's replicas once no membership change can be in flight. A frozen range refuses
   * replica changes, but one proposed (by another coordinator) before its leader applied the
   * freeze can still commit after it; the merge would then take the range's data from replicas
   * that no longer hold it. Every entry in the leader's log when asked is applied there first:
   * a change proposed later is refused, and one an earlier leader proposed is either in this log
   * or will never commit.
   */
  private RangeDescriptor settledReplicas(long rightId, long deadline) {
    while (true) {
      GroupStatus at = onLeader(rightId, s -> s.status(rightId), deadline);
      NodeHandle leader = nodes.get(at.nodeId());
      while (true) {
        GroupStatus now = runtime.blocking().await(leader.status(rightId), ReplicaMover.CALL_TIMEOUT_NS);
        if (now.role() != Role.LEADER || now.term() != at.term()) {
          break; // a new leader: ask it
        }
        if (now.applied() >= at.lastIndex()) {
          RangeState st = leader.localState(rightId);
          if (st == null) {
            throw new RangeException.RangeNotFound(rightId, "its leader on node " + at.nodeId() + " holds no state of it");
          }
          return st.descriptor();
        }
        if (runtime.nanoTime() > deadline) {
          throw new RangeException("timed out waiting for the leader of range " + rightId + " to apply its log");
        }
        runtime.blocking().pause(TimeUnit.MILLISECONDS.toNanos(2));
      }
    }
  }

  /** Waits until every replica of the right range has applied its freeze, so its data is final everywhere. */
  private void awaitFrozenEverywhere(RangeDescriptor right, long index, long deadline) {
    for (long n : right.nodeIds()) {
      NodeHandle s = nodes.get(n);
      if (s == null) {
        throw new RangeException.Rejected("node " + n + " holds a replica of range " + right.rangeId() + " but is down; merge when it is back");
      }
      while (true) {
        RangeState st = s.localState(right.rangeId());
        if (st != null && st.frozen() && st.appliedIndex() >= index) {
          break;
        }
        if (runtime.nanoTime() > deadline) {
          throw new RangeException("timed out waiting for node " + n + " to apply the freeze of range " + right.rangeId());
        }
        runtime.blocking().pause(TimeUnit.MILLISECONDS.toNanos(2));
      }
    }
  }

  /** Runs {@code op} on the range's leader, following NotLeader and retrying elections and timeouts. */
  private <T> T onLeader(long rangeId, Function<NodeHandle, CompletableFuture<T>> op, long deadline) {
    RangeException last = null;
    int nowhere = 0;
    while (runtime.nanoTime() < deadline) {
      boolean hosted = false;
      for (NodeHandle s : nodes.values()) {
        GroupStatus st;
        try {
          st = runtime.blocking().await(s.status(rangeId), ReplicaMover.CALL_TIMEOUT_NS);
        } catch (CompletionException e) {
          continue;
        }
        hosted |= !st.conf().voters().isEmpty(); // an empty replica awaiting its snapshot does not count
        if (st.role() != Role.LEADER) {
          continue;
        }
        try {
          return runtime.blocking().await(op.apply(s), ReplicaMover.CALL_TIMEOUT_NS);
        } catch (CompletionException e) {
          Throwable c = e.getCause();
          if (c instanceof RangeException.Rejected r) {
            throw r;
          }
          // A node that does not answer (crashed, cut off) is like one that lost leadership: try the next.
          if (!(c instanceof RangeException.NotLeader || c instanceof RaftException || c instanceof java.util.concurrent.TimeoutException)) {
            throw c instanceof RuntimeException re ? re : e;
          }
          last = new RangeException(c.getMessage(), c);
        }
      }
      if (!hosted && ++nowhere >= 20) {
        throw new RangeException.RangeNotFound(rangeId, "no node hosts it (merged away, or a wrong id)");
      }
      runtime.blocking().pause(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new RangeException("range " + rangeId + ": no leader answered within " + timeoutMs + " ms"
        + (last == null ? "" : "; last error: " + last.getMessage()), last);
  }
}
