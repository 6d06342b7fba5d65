package io.multiraft.rangestore.admin;

import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.rangestore.kv.KvResult;
import io.multiraft.rangestore.range.DescriptorCodec;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.util.HashMap;
import java.util.Map;

/**
 * Binary forms of what the admin endpoint carries between nodes besides the range codecs:
 * command results, a replica's Raft status (the fields the admin paths use), and typed errors,
 * so a remote NotLeader is a NotLeader here too.
 */
final class WireCodec {
  private static final Role[] ROLES = Role.values();

  private WireCodec() {}

  static void writeResult(Encoder e, KvResult r) {
    if (r instanceof KvResult.Written) {
      e.u8(1);
    } else if (r instanceof KvResult.CasOutcome c) {
      e.u8(2).u8(c.succeeded() ? 1 : 0).bytes(c.current());
    } else if (r instanceof KvResult.SplitDone s) {
      e.u8(3);
      DescriptorCodec.write(e, s.left());
      DescriptorCodec.write(e, s.right());
    } else if (r instanceof KvResult.Frozen f) {
      e.u8(4).i64(f.index());
      DescriptorCodec.write(e, f.descriptor());
    } else if (r instanceof KvResult.Merged m) {
      e.u8(5).i64(m.rightId());
      DescriptorCodec.write(e, m.left());
    } else {
      throw new IllegalArgumentException("results that are errors travel as errors, not " + r);
    }
  }

  static KvResult readResult(Decoder d) {
    int kind = d.u8("result kind");
    return switch (kind) {
      case 1 -> KvResult.WRITTEN;
      case 2 -> new KvResult.CasOutcome(d.u8("succeeded") == 1, d.bytes("current"));
      case 3 -> new KvResult.SplitDone(DescriptorCodec.read(d), DescriptorCodec.read(d));
      case 4 -> {
        long index = d.i64("index");
        yield new KvResult.Frozen(index, DescriptorCodec.read(d));
      }
      case 5 -> {
        long right = d.i64("right id");
        yield new KvResult.Merged(DescriptorCodec.read(d), right);
      }
      default -> throw new MalformedException("unknown result kind " + kind);
    };
  }

  static void writeStatus(Encoder e, GroupStatus s) {
    e.i64(s.groupId()).i64(s.nodeId()).u8(s.role().ordinal()).i64(s.term()).i64(s.leader()).i64(s.commit()).i64(s.applied());
    DescriptorCodec.writeConf(e, s.conf());
    e.i32(s.progress().size());
    for (var p : s.progress().entrySet()) {
      e.i64(p.getKey()).i64(p.getValue().match());
    }
  }

  /** A status with the fields the admin paths read; per-peer progress carries only the match index. */
  static GroupStatus readStatus(Decoder d) {
    long group = d.i64("group");
    long node = d.i64("node");
    int role = d.u8("role");
    if (role >= ROLES.length) {
      throw new MalformedException("unknown role " + role);
    }
    long term = d.i64("term");
    long leader = d.i64("leader");
    long commit = d.i64("commit");
    long applied = d.i64("applied");
    ConfState conf = DescriptorCodec.readConf(d);
    int n = d.count("progress", 16);
    Map<Long, GroupStatus.PeerProgress> progress = new HashMap<>();
    for (int i = 0; i < n; i++) {
      long id = d.i64("peer");
      progress.put(id, new GroupStatus.PeerProgress(d.i64("match"), 0, null, false, 0, false, false));
    }
    return new GroupStatus(group, node, ROLES[role], term, 0, leader, commit, applied, 0, conf, 0, progress);
  }

  static byte[] error(Throwable t) {
    Encoder e = new Encoder(64);
    if (t instanceof RangeException.NotLeader nl) {
      e.u8(1).i64(nl.rangeId()).i64(nl.leaderHint());
    } else if (t instanceof RangeException.RangeNotFound rnf) {
      e.u8(2).i64(rnf.rangeId());
    } else if (t instanceof RangeException.Rejected) {
      e.u8(3);
    } else if (t instanceof RangeException.Busy) {
      e.u8(4);
    } else if (t instanceof RangeException.KeyNotInRange k) {
      e.u8(5);
      DescriptorCodec.write(e, k.descriptor());
    } else {
      e.u8(6);
    }
    return e.bytes(String.valueOf(t.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toBytes();
  }

  static RangeException readError(byte[] body) {
    Decoder d = Decoder.of(body);
    int kind = d.u8("error kind");
    RangeDescriptor desc = null;
    long a = 0;
    long b = 0;
    if (kind == 1) {
      a = d.i64("range");
      b = d.i64("hint");
    } else if (kind == 2) {
      a = d.i64("range");
    } else if (kind == 5) {
      desc = DescriptorCodec.read(d);
    }
    String msg = new String(d.bytes("message"), java.nio.charset.StandardCharsets.UTF_8);
    return switch (kind) {
      case 1 -> new RangeException.NotLeader(a, b);
      case 2 -> new RangeException.RangeNotFound(a, msg);
      case 3 -> new RangeException.Rejected(msg);
      case 4 -> new RangeException.Busy(msg);
      case 5 -> new RangeException.KeyNotInRange(new byte[0], desc);
      default -> new RangeException(msg);
    };
  }
}
