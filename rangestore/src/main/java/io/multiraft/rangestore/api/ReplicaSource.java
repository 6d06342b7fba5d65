package io.multiraft.rangestore.api;

import io.multiraft.core.GroupStatus;
import io.multiraft.node.RaftException;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * One node as the {@link ReplicaCollector} sees it: the replicas it holds, their Raft status and
 * range state, and the two repairs. A node of this process answers live; another node's source
 * fetches one report of all its replicas per sweep ({@link #refresh}), so a sweep costs one round
 * trip per node, not one per range.
 */
public interface ReplicaSource {
  long nodeId();

  /** Called once at the start of every sweep. */
  default void refresh() {}

  /** The ranges this node holds a replica state of. */
  List<Long> localRangeIds();

  /** The ranges this node's routing table knows of. */
  List<RangeDescriptor> knownRanges();

  /** The Raft status of this node's replica of the range; null if it hosts none or did not answer. */
  GroupStatus status(long rangeId);

  /**
   * The Raft status of this node's replica of the range as it is now, not as of the sweep's start
   * (a repair checks what it made); null if it hosts none or did not answer.
   */
  default GroupStatus statusNow(long rangeId) {
    return status(rangeId);
  }

  /**
   * Whether this node answered that it hosts no Raft group of the range; false when it did not
   * answer, so a slow node's replica is never taken for a broken one.
   */
  boolean groupMissing(long rangeId);

  /** This node's replica state of the range, or null. */
  RangeState localState(long rangeId);

  /** Whether this node's replica of the range was removed or merged away (and not added again since). */
  boolean isTombstoned(long rangeId);

  /** Drops this node's replica of the range; throws if that failed. */
  void dropReplica(long rangeId);

  /** Creates an empty replica of the range here, for its leader's snapshot to fill; throws if that failed. */
  void prepareReplica(long rangeId);

  /** A node of this process, answering live; waits go through {@code runtime} (the simulator's virtual time). */
  static ReplicaSource of(RangeStore s, NodeRuntime runtime) {
    return new ReplicaSource() {
      @Override
      public long nodeId() {
        return s.nodeId();
      }

      @Override
      public List<Long> localRangeIds() {
        return s.localRangeIds();
      }

      @Override
      public List<RangeDescriptor> knownRanges() {
        return s.router().ranges();
      }

      @Override
      public GroupStatus status(long rangeId) {
        try {
          return runtime.blocking().await(s.raft().status(rangeId), ReplicaMover.CALL_TIMEOUT_NS);
        } catch (CompletionException e) {
          return null; // not hosted here, or no answer
        }
      }

      @Override
      public boolean groupMissing(long rangeId) {
        try {
          runtime.blocking().await(s.raft().status(rangeId), ReplicaMover.CALL_TIMEOUT_NS);
          return false;
        } catch (CompletionException e) {
          return e.getCause() instanceof RaftException.GroupNotFound;
        }
      }

      @Override
      public RangeState localState(long rangeId) {
        return s.localState(rangeId);
      }

      @Override
      public boolean isTombstoned(long rangeId) {
        return s.isTombstoned(rangeId);
      }

      @Override
      public void dropReplica(long rangeId) {
        runtime.blocking().await(s.dropReplica(rangeId), ReplicaMover.CALL_TIMEOUT_NS);
      }

      @Override
      public void prepareReplica(long rangeId) {
        runtime.blocking().await(s.prepareReplica(rangeId), ReplicaMover.CALL_TIMEOUT_NS);
      }
    };
  }
}
