package io.multiraft.rangestore.api;

import io.multiraft.core.ConfChange;
import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.rangestore.kv.KvCommand;
import io.multiraft.rangestore.kv.KvResult;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.concurrent.CompletableFuture;

/**
 * What the admin paths (replica moves, merges) need of one node, local or remote: a
 * {@link RangeStore} in this process, or a node reached through its admin endpoint.
 */
public interface NodeHandle {
  long nodeId();

  CompletableFuture<GroupStatus> status(long rangeId);

  CompletableFuture<Void> prepareReplica(long rangeId);

  CompletableFuture<ConfState> changeReplicas(long rangeId, ConfChange change);

  CompletableFuture<Void> transferLeader(long rangeId, long targetNode);

  CompletableFuture<Void> dropReplica(long rangeId);

  /** This node's replica state of the range (no Raft round trip), or null. */
  RangeState localState(long rangeId);

  CompletableFuture<RangeDescriptor> descriptor(long rangeId);

  /** The ranges this node holds a replica state of; empty where the node cannot tell (remote nodes, for now). */
  default java.util.List<Long> localRangeIds() {
    return java.util.List.of();
  }

  CompletableFuture<KvResult> propose(long rangeId, KvCommand cmd);

  /** The range this node's routing table names for {@code key}, or null if none. */
  RangeDescriptor routeOf(byte[] key);
}
