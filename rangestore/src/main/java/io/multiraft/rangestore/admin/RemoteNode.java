package io.multiraft.rangestore.admin;

import io.multiraft.core.ConfChange;
import io.multiraft.core.ConfChangeCodec;
import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.rangestore.api.NodeHandle;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.kv.KvCommand;
import io.multiraft.rangestore.kv.KvCommandCodec;
import io.multiraft.rangestore.kv.KvResult;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.DescriptorCodec;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.concurrent.CompletableFuture;

/** Another node, reached through its admin endpoint; failures arrive as the same typed errors as locally. */
final class RemoteNode implements NodeHandle {
  private final long nodeId;
  private final AdminClient client;

  RemoteNode(long nodeId, AdminClient client) {
    this.nodeId = nodeId;
    this.client = client;
  }

  @Override
  public long nodeId() {
    return nodeId;
  }

  private static Encoder range(long rangeId) {
    return new Encoder(32).i64(rangeId);
  }

  @Override
  public CompletableFuture<GroupStatus> status(long rangeId) {
    return client.callAsync("status", range(rangeId)).thenApply(WireCodec::readStatus);
  }

  @Override
  public CompletableFuture<Void> prepareReplica(long rangeId) {
    return client.callAsync("prepare", range(rangeId)).thenApply(d -> null);
  }

  @Override
  public CompletableFuture<ConfState> changeReplicas(long rangeId, ConfChange change) {
    return client.callAsync("change", range(rangeId).bytes(ConfChangeCodec.encode(change))).thenApply(DescriptorCodec::readConf);
  }

  @Override
  public CompletableFuture<Void> transferLeader(long rangeId, long targetNode) {
    return client.callAsync("transfer", range(rangeId).i64(targetNode)).thenApply(d -> null);
  }

  @Override
  public CompletableFuture<Void> dropReplica(long rangeId) {
    return client.callAsync("drop", range(rangeId)).thenApply(d -> null);
  }

  @Override
  public RangeState localState(long rangeId) {
    byte[] b = client.callAsync("local", range(rangeId)).join().bytes("state");
    return b == null ? null : RangeState.decode(b);
  }

  @Override
  public CompletableFuture<RangeDescriptor> descriptor(long rangeId) {
    return client.callAsync("descriptor", range(rangeId)).thenApply(DescriptorCodec::read);
  }

  @Override
  public CompletableFuture<KvResult> propose(long rangeId, KvCommand cmd) {
    return client.callAsync("propose", range(rangeId).bytes(KvCommandCodec.encode(cmd))).thenApply(WireCodec::readResult);
  }

  @Override
  public RangeDescriptor routeOf(byte[] key) {
    try {
      Decoder d = client.callAsync("route", new Encoder(32).bytes(key)).join();
      return d.u8("present") == 1 ? DescriptorCodec.read(d) : null;
    } catch (RuntimeException e) {
      return null; // an unreachable node routes nothing
    }
  }
}
