package io.multiraft.rangestore.admin;

import io.multiraft.core.GroupStatus;
import io.multiraft.rangestore.api.ReplicaSource;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.List;

/**
 * Another node, as the replica collector of this one sees it: one {@code replicas} report per
 * sweep answers every question about what it holds. The collector of a server repairs only its
 * own node, so the repairs here are for completeness (an operator's tool sweeping a whole cluster).
 */
final class RemoteReplicaSource implements ReplicaSource {
  private final long nodeId;
  private final AdminClient client;
  private ReplicaReport report = ReplicaReport.EMPTY;

  RemoteReplicaSource(long nodeId, AdminClient client) {
    this.nodeId = nodeId;
    this.client = client;
  }

  @Override
  public long nodeId() {
    return nodeId;
  }

  @Override
  public void refresh() {
    report = ReplicaReport.fetch(client);
  }

  @Override
  public List<Long> localRangeIds() {
    return report.localRangeIds();
  }

  @Override
  public List<RangeDescriptor> knownRanges() {
    return report.knownRanges();
  }

  @Override
  public GroupStatus status(long rangeId) {
    return report.statuses().get(rangeId);
  }

  /** Asked now, not read from the sweep's report: a repair checks the replica it just made. */
  @Override
  public GroupStatus statusNow(long rangeId) {
    try {
      return WireCodec.readStatus(client.call("status", new Encoder(16).i64(rangeId)));
    } catch (RuntimeException e) {
      return null; // not hosted there, or no answer
    }
  }

  @Override
  public boolean groupMissing(long rangeId) {
    return report.withoutGroup().contains(rangeId);
  }

  @Override
  public RangeState localState(long rangeId) {
    return report.states().get(rangeId);
  }

  @Override
  public boolean isTombstoned(long rangeId) {
    return client.call("tombstoned", new Encoder(16).i64(rangeId)).u8("tombstoned") == 1;
  }

  @Override
  public void dropReplica(long rangeId) {
    client.call("drop", new Encoder(16).i64(rangeId));
  }

  @Override
  public void prepareReplica(long rangeId) {
    client.call("prepare", new Encoder(16).i64(rangeId));
  }
}
