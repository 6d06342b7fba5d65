package io.multiraft.rangestore.admin;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.api.NodeHandle;
import io.multiraft.rangestore.api.RangeMerger;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.ReplicaMover;
import io.multiraft.rangestore.range.DescriptorCodec;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Admin methods that span nodes (replica moves, merges): the node that receives one coordinates
 * it, reaching the other nodes through their admin endpoints. One at a time per node, since moves
 * and merges of the same ranges must not interleave.
 */
final class CoordinatorMethods {
  /** How long one replica move or merge coordinated here may take. */
  static final long TIMEOUT_MS = 60_000;

  private CoordinatorMethods() {}

  static void register(Map<String, AdminServer.Method> m, RangeStore s, Map<Long, NodeHandle> nodes,
      Map<Long, InetSocketAddress> peers) {
    ReplicaMover mover = new ReplicaMover(nodes, TIMEOUT_MS);
    RangeMerger merger = new RangeMerger(nodes, TIMEOUT_MS);
    Object serial = new Object();
    m.put("add-replica", (in, out) -> {
      long range = in.i64("range");
      long node = in.i64("node");
      synchronized (serial) {
        DescriptorCodec.writeConf(out, mover.addReplica(range, node));
      }
    });
    m.put("remove-replica", (in, out) -> {
      long range = in.i64("range");
      long node = in.i64("node");
      synchronized (serial) {
        DescriptorCodec.writeConf(out, mover.removeReplica(range, node));
      }
    });
    m.put("relocate", (in, out) -> {
      long range = in.i64("range");
      int n = in.count("targets", 8);
      Set<Long> targets = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        targets.add(in.i64("target"));
      }
      synchronized (serial) {
        ConfState cs = mover.relocate(range, targets);
        DescriptorCodec.writeConf(out, cs);
      }
    });
    m.put("transfer-leader", (in, out) -> {
      long range = in.i64("range");
      long node = in.i64("node");
      synchronized (serial) {
        mover.transferLeader(range, node);
      }
    });
    m.put("merge", (in, out) -> {
      long range = in.i64("range");
      synchronized (serial) {
        DescriptorCodec.write(out, merger.merge(range));
      }
    });
    m.put("peers", (in, out) -> {
      out.i32(peers.size());
      for (var e : peers.entrySet()) {
        out.i64(e.getKey()).bytes((e.getValue().getHostString() + ":" + e.getValue().getPort()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    });
  }
}
