package io.multiraft.rangestore.range;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Binary forms of {@link RangeDescriptor} and of a Raft membership, as fields of larger records. */
public final class DescriptorCodec {
  private static final ReplicaDescriptor.Role[] ROLES = ReplicaDescriptor.Role.values();

  private DescriptorCodec() {}

  public static void write(Encoder e, RangeDescriptor d) {
    e.i64(d.rangeId()).bytes(d.startKey()).bytes(d.endKey()).i64(d.generation());
    e.i32(d.replicas().size());
    for (ReplicaDescriptor r : d.replicas()) {
      e.i64(r.nodeId()).u8(r.role().ordinal());
    }
  }

  public static RangeDescriptor read(Decoder d) {
    long id = d.i64("range id");
    byte[] start = d.bytes("start key");
    byte[] end = d.bytes("end key");
    long gen = d.i64("generation");
    int n = d.count("replicas", 9);
    List<ReplicaDescriptor> replicas = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long node = d.i64("replica node");
      int role = d.u8("replica role");
      if (role >= ROLES.length) {
        throw new MalformedException("unknown replica role " + role);
      }
      replicas.add(new ReplicaDescriptor(node, ROLES[role]));
    }
    if (start == null) {
      throw new MalformedException("range " + id + " has no start key");
    }
    try {
      return new RangeDescriptor(id, start, end, replicas, gen);
    } catch (IllegalArgumentException ex) {
      throw new MalformedException("invalid range descriptor: " + ex.getMessage());
    }
  }

  public static byte[] encode(RangeDescriptor d) {
    Encoder e = new Encoder(64);
    write(e, d);
    return e.finishWithChecksum();
  }

  public static RangeDescriptor decode(byte[] data) {
    Decoder d = Decoder.checked(data, "range descriptor");
    RangeDescriptor out = read(d);
    d.expectEnd("range descriptor");
    return out;
  }

  public static void writeConf(Encoder e, ConfState c) {
    ids(e, c.voters());
    ids(e, c.learners());
    ids(e, c.votersOutgoing());
    ids(e, c.learnersNext());
    e.u8(c.autoLeave() ? 1 : 0);
  }

  public static ConfState readConf(Decoder d) {
    Set<Long> voters = ids(d, "voters");
    Set<Long> learners = ids(d, "learners");
    Set<Long> outgoing = ids(d, "outgoing voters");
    Set<Long> next = ids(d, "next learners");
    boolean autoLeave = d.u8("auto leave") != 0;
    return new ConfState(new TreeSet<>(voters), new TreeSet<>(learners), new TreeSet<>(outgoing), new TreeSet<>(next), autoLeave);
  }

  private static void ids(Encoder e, Set<Long> ids) {
    e.i32(ids.size());
    for (long id : ids) {
      e.i64(id);
    }
  }

  private static Set<Long> ids(Decoder d, String what) {
    int n = d.count(what, 8);
    Set<Long> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      out.add(d.i64(what));
    }
    return out;
  }
}
