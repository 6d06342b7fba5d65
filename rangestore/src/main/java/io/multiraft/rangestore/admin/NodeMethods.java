package io.multiraft.rangestore.admin;

import io.multiraft.core.ConfChangeCodec;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.SplitResult;
import io.multiraft.rangestore.kv.KvCommandCodec;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.DescriptorCodec;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.List;
import java.util.Map;

/** The admin methods one node serves about itself: Raft status, replica steps, data, ranges. */
final class NodeMethods {
  private NodeMethods() {}

  static void register(Map<String, AdminServer.Method> m, RangeStore s) {
    m.put("status", (in, out) -> WireCodec.writeStatus(out, s.status(in.i64("range")).join()));
    m.put("prepare", (in, out) -> s.prepareReplica(in.i64("range")).join());
    m.put("change", (in, out) -> {
      long range = in.i64("range");
      DescriptorCodec.writeConf(out, s.changeReplicas(range, ConfChangeCodec.decode(in.bytes("change"))).join());
    });
    m.put("transfer", (in, out) -> s.transferLeader(in.i64("range"), in.i64("target")).join());
    m.put("drop", (in, out) -> s.dropReplica(in.i64("range")).join());
    m.put("local", (in, out) -> {
      RangeState st = s.localState(in.i64("range"));
      out.bytes(st == null ? null : st.encode());
    });
    m.put("descriptor", (in, out) -> DescriptorCodec.write(out, s.descriptor(in.i64("range")).join()));
    m.put("propose", (in, out) -> {
      long range = in.i64("range");
      WireCodec.writeResult(out, s.propose(range, KvCommandCodec.decode(in.bytes("command"))).join());
    });
    m.put("route", (in, out) -> {
      RangeDescriptor d = s.routeOf(in.bytes("key"));
      out.u8(d == null ? 0 : 1);
      if (d != null) {
        DescriptorCodec.write(out, d);
      }
    });
    m.put("put", (in, out) -> s.put(in.bytes("key"), in.bytes("value")).join());
    m.put("get", (in, out) -> out.bytes(s.get(in.bytes("key")).join()));
    m.put("split", (in, out) -> {
      long range = in.i64("range");
      SplitResult r = s.split(range, in.bytes("key")).join();
      DescriptorCodec.write(out, r.left());
      DescriptorCodec.write(out, r.right());
    });
    m.put("split-at", (in, out) -> {
      SplitResult r = s.splitAt(in.bytes("key")).join();
      DescriptorCodec.write(out, r.left());
      DescriptorCodec.write(out, r.right());
    });
    m.put("ranges", (in, out) -> {
      List<RangeDescriptor> rs = s.router().ranges();
      out.i32(rs.size());
      for (RangeDescriptor d : rs) {
        DescriptorCodec.write(out, d);
        out.i64(s.router().route(d.rangeId()).leaderHint());
      }
    });
    m.put("replicas", (in, out) -> ReplicaReport.write(out, s));
    m.put("tombstoned", (in, out) -> out.u8(s.isTombstoned(in.i64("range")) ? 1 : 0));
    m.put("node", (in, out) -> out.i64(s.nodeId()).i64(s.raft().groupCount()).i64(s.raft().leaderCount())
        .i64(s.raft().activeGroups()).i64(s.raft().logSyncs()));
  }
}
