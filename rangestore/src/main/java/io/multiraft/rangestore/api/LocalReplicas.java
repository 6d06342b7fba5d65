package io.multiraft.rangestore.api;

import io.multiraft.core.ConfState;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.RaftException;
import io.multiraft.rangestore.kv.RangeData;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.kv.RangeStateMachine;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import io.multiraft.rangestore.route.Router;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The replicas this node hosts, as data and groups: bootstrap of a first range, reconciliation at
 * start-up (groups whose creation or removal a crash lost), an empty replica awaiting its snapshot,
 * and dropping a replica this node was removed from.
 */
final class LocalReplicas {
  private final long nodeId;
  private final RangeData data;
  private final MultiRaftNode node;
  private final Router router;
  private final ReplicaLifecycle lifecycle;
  private final Outcomes outcomes;

  LocalReplicas(long nodeId, RangeData data, MultiRaftNode node, Router router, ReplicaLifecycle lifecycle, Outcomes outcomes) {
    this.nodeId = nodeId;
    this.data = data;
    this.node = node;
    this.router = router;
    this.lifecycle = lifecycle;
    this.outcomes = outcomes;
  }

  /**
   * Makes the groups match the recorded states: a range written by a split whose group was not
   * yet created, a right range a snapshot revealed, a merged-away range whose group survived.
   *
   * <p>A replica removed from its range before the stop keeps its group under the rule it had
   * when it applied the removal ({@link ReplicaLifecycle#replicaRemoved}): just restarted, it
   * follows no leader, so it cannot know that the others learned the commit, and it waits for a
   * drop (another replica leads without it) or the deferral's end. Deleting the group here left
   * a leader that committed its own removal and restarted unable to give the others the vote
   * they still needed under the old membership (RemovedLeaderRestartTest).
   */
  void reconcile(List<RangeState> states, Set<Long> logged) {
    for (long g : logged) {
      if (!data.isTombstoned(g)) {
        continue;
      }
      long removedInTerm = data.removalTerm(g);
      if (removedInTerm > 0) {
        lifecycle.replicaRemoved(g, removedInTerm);
      } else {
        lifecycle.removeGroup(g, "its range was merged away, or its replica dropped, before the last stop");
      }
    }
    for (RangeState s : states) {
      router.update(s.descriptor());
      if (s.conf().isMember(nodeId) && !logged.contains(s.descriptor().rangeId())) {
        lifecycle.createGroup(s.descriptor().rangeId(), new SnapshotMeta(s.appliedIndex(), s.appliedTerm(), s.conf()), 0);
      }
      for (RangeDescriptor child : s.recentSplits()) {
        if (!logged.contains(child.rangeId()) && RangeStateMachine.missingSplit(data, nodeId, s.descriptor(), child)) {
          lifecycle.splitMissed(child);
        }
      }
    }
  }

  CompletableFuture<Void> bootstrap(RangeDescriptor d) {
    long id = d.rangeId();
    if (data.readState(id) != null) {
      return CompletableFuture.failedFuture(new RangeException.Rejected("range " + id + " already exists on node " + nodeId));
    }
    ConfState conf = ConfState.of(d.nodeIds(), Set.of());
    RangeState s = new RangeState(MultiRaftNode.INITIAL_INDEX, MultiRaftNode.INITIAL_TERM, conf,
        d.withReplicas(RangeDescriptor.replicasOf(conf)), false);
    data.writeState(s);
    router.update(s.descriptor());
    return outcomes.plain(id, node.createGroup(id, new SnapshotMeta(s.appliedIndex(), s.appliedTerm(), conf)));
  }

  CompletableFuture<Void> prepare(long rangeId) {
    data.clearTombstone(rangeId);
    return lifecycle.afterRemoval(rangeId).thenCompose(x -> node.createGroup(rangeId, SnapshotMeta.EMPTY)).handle((v, e) -> {
      Throwable c = e instanceof CompletionException ? e.getCause() : e;
      if (c != null && !(c instanceof RaftException.GroupExists)) {
        throw outcomes.translate(rangeId, c);
      }
      return null;
    });
  }

  CompletableFuture<Void> drop(long rangeId) {
    // A removal started by the replica itself (it applied its own removal) may still be deleting the log.
    CompletableFuture<Void> pending = lifecycle.afterRemoval(rangeId);
    // Before the group goes: a replica prepared here again must not vote with an empty log.
    data.markFormerReplica(rangeId);
    // Chained, never joined: the removal completes on the raft runtime's own thread (or the
    // simulator's only thread), which a join here would block.
    return lifecycle.removeGroup(rangeId, "dropped by an admin request").handle((v, e) -> {
      Throwable c = e instanceof CompletionException ? e.getCause() : e;
      if (c != null && !(c instanceof RaftException.GroupNotFound)) {
        throw outcomes.translate(rangeId, c);
      }
      return null;
    }).thenCompose(x -> pending).thenApply(x -> {
      RangeState s = data.readState(rangeId);
      if (s != null) {
        // A stale replica's span may overlap newer ranges held here: their keys stay.
        List<RangeDescriptor> others = data.allStates().stream().map(RangeState::descriptor)
            .filter(o -> o.rangeId() != rangeId).toList();
        data.dropStaleReplica(s, others);
      }
      router.remove(rangeId);
      return null;
    });
  }
}
