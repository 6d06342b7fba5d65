package io.multiraft.rangestore.api;

import io.multiraft.core.ConfState;
import io.multiraft.core.Role;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.RaftException;
import io.multiraft.rangestore.kv.RangeEvents;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.route.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on what the range state machines report: keeps the router current, creates the group of a
 * range born by a split, and removes the group of a replica removed from this node. Runs on apply
 * threads, so it only queues work. The node is attached after it is built (its constructor already
 * asks the state machine factory for the recovered groups, before any event can happen).
 */
final class ReplicaLifecycle implements RangeEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLifecycle.class);
  private static final int MAX_ATTEMPTS = 50;
  /** At most how long a removed replica's group outlives its removal, in Raft ticks (50 s at 50 ms). */
  static final long DEFERRAL_TICKS = 1000;

  private final Router router;
  private final NodeRuntime.Scheduler scheduler;
  private final long maxDeferralNs;
  private volatile Supplier<MultiRaftNode> node = () -> null;
  private final java.util.concurrent.ConcurrentHashMap<Long, CompletableFuture<Void>> removals = new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * The deferred removal of this node's group of a range it was removed from ({@link
   * #replicaRemoved}), by range: a token the deferred task checks. Any other removal of the group,
   * or a new replica of the range here, supersedes it; it may then never touch the group again.
   */
  private final java.util.concurrent.ConcurrentHashMap<Long, Object> deferred = new java.util.concurrent.ConcurrentHashMap<>();

  ReplicaLifecycle(Router router, NodeRuntime.Scheduler scheduler, long tickIntervalMs) {
    this.router = router;
    this.scheduler = scheduler;
    this.maxDeferralNs = TimeUnit.MILLISECONDS.toNanos(tickIntervalMs * DEFERRAL_TICKS);
  }

  void attach(MultiRaftNode n) {
    node = () -> n;
  }

  @Override
  public void descriptorChanged(RangeDescriptor d) {
    router.update(d);
  }

  @Override
  public void splitApplied(RangeDescriptor left, RangeDescriptor right, ConfState conf) {
    router.update(left);
    router.update(right);
    // The left range's leader campaigns for the right one at once, so the new range can serve (or
    // split again) without waiting for an election timeout; elsewhere the campaign is redundant,
    // and a redundant campaign is a no-op (lesson 13).
    boolean ledHere = leaderHintOf(left.rangeId()) == selfId();
    createGroup(right.rangeId(), new SnapshotMeta(MultiRaftNode.INITIAL_INDEX, MultiRaftNode.INITIAL_TERM, conf), 0, ledHere);
  }

  private long leaderHintOf(long rangeId) {
    try {
      return router.route(rangeId).leaderHint();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private long selfId() {
    MultiRaftNode n = node.get();
    return n == null ? -1 : n.nodeId();
  }

  @Override
  public void splitMissed(RangeDescriptor right) {
    router.update(right);
    // Empty: the right range's leader finds nothing here and sends its snapshot.
    createGroup(right.rangeId(), SnapshotMeta.EMPTY, 0);
  }

  @Override
  public void rangeMerged(RangeDescriptor left, long rightId) {
    router.update(left);
    removeGroup(rightId, "its range was merged into range " + left.rangeId());
  }

  /**
   * Removes this node's group of a range it was removed from, usually later. A leader that applied
   * its own removal hands leadership over (Raft does), but until the others apply the removal they
   * need its vote and acknowledgements under the old membership, and it may be the only replica
   * that knows the removal committed (commits ride the next append): removing its group at once
   * left voters {1, 4} of {1, 2, 3, 4} (3 away) unable to elect anyone for good (sim seed 153455).
   * Nothing this replica sees of itself tells when the others stopped needing it; another replica
   * leading without it does, and the mover and the replica collector, which see every replica,
   * drop it then. Removed here at once only when it is a follower, still in the term of the entry
   * that removed it, of another leader: that leader made the entry (one leader per term) and told
   * it the entry committed, so it needs no more from this replica. Removed anyway after
   * {@link #DEFERRAL_TICKS}, so that a replica nobody drops does not tick for ever.
   *
   * <p>Meanwhile the replica may be dropped and the node added back (sim seed 191221: node 1 was
   * dropped and re-added within a second, and the late removal then deleted its new group, so a
   * voter hosted no replica for good). So a drop supersedes the deferred removal ({@link #deferred}),
   * and a new replica of the range completes it first ({@link #afterRemoval}).
   */
  @Override
  public void replicaRemoved(long rangeId, long term) {
    router.remove(rangeId);
    MultiRaftNode n = node.get();
    if (n == null) {
      return;
    }
    Object token = new Object();
    deferred.put(rangeId, token);
    n.status(rangeId).whenComplete((st, e) -> {
      if (e == null && st.role() == Role.FOLLOWER && st.term() == term && st.leader() != 0 && st.leader() != st.nodeId()) {
        removeDeferred(rangeId, token);
      } else {
        scheduler.schedule(maxDeferralNs, () -> removeDeferred(rangeId, token));
      }
    });
  }

  /**
   * Makes a deferred removal unless something superseded it. Checked and made under the lock that
   * {@link #afterRemoval} takes, so a new replica is created either after this removal (it waits
   * for it) or with the token gone (this never runs): never before a removal that then deletes it.
   */
  private synchronized void removeDeferred(long rangeId, Object token) {
    if (deferred.get(rangeId) == token) {
      removeGroup(rangeId, "this replica was removed");
    }
  }

  /**
   * Removes a group here. The node drops the group at once but deletes its log later, on the apply
   * thread; a group of the same id created before that would lose its fresh log to the late delete.
   * So every removal is remembered until it completes, and creations wait for it ({@link #afterRemoval}).
   */
  synchronized CompletableFuture<Void> removeGroup(long rangeId, String why) {
    MultiRaftNode n = node.get();
    if (n == null) {
      return CompletableFuture.completedFuture(null);
    }
    deferred.remove(rangeId); // this removal is the one a deferred removal waited to make
    CompletableFuture<Void> f = n.removeGroup(rangeId);
    // Including an earlier removal still deleting the log (a second one finds no group and ends at once).
    CompletableFuture<Void> done = f.handle((v, e) -> (Void) null).thenCombine(afterRemovalOnly(rangeId), (a, b) -> null);
    removals.put(rangeId, done);
    done.whenComplete((v, e) -> removals.remove(rangeId, done));
    f.exceptionally(e -> {
      LOG.debug("range {}: removing its group ({}): {}", rangeId, why, e.toString());
      return null;
    });
    return f;
  }

  /**
   * Completes when no removal of the group started here is still deleting its log. Called before a
   * new replica of the range is created here (or an old one dropped): a removal still deferred is
   * made now, since the range goes on without the group it kept (the node would not be added back,
   * or dropped, unless a leader without it exists).
   */
  synchronized CompletableFuture<Void> afterRemoval(long rangeId) {
    if (deferred.containsKey(rangeId)) {
      removeGroup(rangeId, "this replica was removed, and a new one takes its place");
    }
    return afterRemovalOnly(rangeId);
  }

  private CompletableFuture<Void> afterRemovalOnly(long rangeId) {
    return removals.getOrDefault(rangeId, CompletableFuture.completedFuture(null));
  }

  /** Whether this node keeps the group of a replica removed from the range until it is dropped. */
  boolean removalDeferred(long rangeId) {
    return deferred.containsKey(rangeId);
  }

  /**
   * Creates a group whose state is already written. A full queue is retried with a growing delay;
   * a group that already exists is fine (a restart's reconciliation raced a split's apply). If the
   * process dies first, the start-up reconciliation creates it from the written state.
   */
  void createGroup(long rangeId, SnapshotMeta initial, int attempt) {
    createGroup(rangeId, initial, attempt, false);
  }

  private void createGroup(long rangeId, SnapshotMeta initial, int attempt, boolean campaign) {
    MultiRaftNode n = node.get();
    if (n == null) {
      return;
    }
    afterRemoval(rangeId).thenCompose(x -> n.createGroup(rangeId, initial)).whenComplete((v, e) -> {
      Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (c == null && campaign) {
        n.campaign(rangeId).exceptionally(x -> null);
      }
      if (c == null || c instanceof RaftException.GroupExists || c instanceof RaftException.NodeClosed) {
        return;
      }
      if (attempt < MAX_ATTEMPTS) {
        scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(Math.min(1000, 10L << Math.min(attempt, 6))),
            () -> createGroup(rangeId, initial, attempt + 1, campaign));
      } else {
        LOG.error("range {}: could not create its group after {} attempts; it will be created at the next restart", rangeId, attempt, c);
      }
    });
  }
}
