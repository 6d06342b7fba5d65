package io.multiraft.rangestore.kv;

import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a {@link KvCommand} in the log: version, kind, fields, CRC32C. Decoding checks all
 * of it, so a damaged or foreign payload becomes a refused command, never a write.
 */
public final class KvCommandCodec {
  private static final int VERSION = 1;
  private static final int PUT = 1;
  private static final int DELETE = 2;
  private static final int CAS = 3;
  private static final int BATCH = 4;
  private static final int SPLIT = 5;
  private static final int FREEZE = 6;
  private static final int UNFREEZE = 7;
  private static final int MERGE = 8;

  private KvCommandCodec() {}

  public static byte[] encode(KvCommand c) {
    Encoder e = new Encoder(64);
    e.u8(VERSION);
    if (c instanceof KvCommand.Put p) {
      e.u8(PUT).bytes(p.key()).bytes(p.value());
    } else if (c instanceof KvCommand.Delete d) {
      e.u8(DELETE).bytes(d.key());
    } else if (c instanceof KvCommand.Cas cas) {
      e.u8(CAS).bytes(cas.key()).bytes(cas.expected()).bytes(cas.newValue());
    } else if (c instanceof KvCommand.Batch b) {
      e.u8(BATCH).i32(b.ops().size());
      for (KvCommand.Op op : b.ops()) {
        e.bytes(op.key()).bytes(op.value());
      }
    } else if (c instanceof KvCommand.Split s) {
      e.u8(SPLIT).bytes(s.splitKey()).i64(s.rightId()).i64(s.expectedGeneration());
    } else if (c instanceof KvCommand.Freeze f) {
      e.u8(FREEZE).i64(f.mergeInto()).i64(f.expectedGeneration());
    } else if (c instanceof KvCommand.Unfreeze u) {
      e.u8(UNFREEZE).i64(u.expectedGeneration());
    } else if (c instanceof KvCommand.Merge m) {
      e.u8(MERGE).i64(m.expectedGeneration());
      io.multiraft.rangestore.range.DescriptorCodec.write(e, m.right());
    } else {
      throw new IllegalArgumentException("unknown command " + c);
    }
    return e.finishWithChecksum();
  }

  /** @throws MalformedException if the bytes are not a command this version wrote */
  public static KvCommand decode(byte[] data) {
    Decoder d = Decoder.checked(data, "command");
    int version = d.u8("version");
    if (version != VERSION) {
      throw new MalformedException("command version " + version + " is not supported (this build reads " + VERSION + ")");
    }
    int kind = d.u8("kind");
    KvCommand c = switch (kind) {
      case PUT -> new KvCommand.Put(key(d), value(d, "value"));
      case DELETE -> new KvCommand.Delete(key(d));
      case CAS -> new KvCommand.Cas(key(d), d.bytes("expected value"), d.bytes("new value"));
      case BATCH -> batch(d);
      case SPLIT -> new KvCommand.Split(key(d), d.i64("right range id"), d.i64("expected generation"));
      case FREEZE -> new KvCommand.Freeze(d.i64("merge target"), d.i64("expected generation"));
      case UNFREEZE -> new KvCommand.Unfreeze(d.i64("expected generation"));
      case MERGE -> {
        long gen = d.i64("expected generation");
        yield new KvCommand.Merge(io.multiraft.rangestore.range.DescriptorCodec.read(d), gen);
      }
      default -> throw new MalformedException("unknown command kind " + kind);
    };
    d.expectEnd("command");
    return c;
  }

  private static KvCommand batch(Decoder d) {
    int n = d.count("batch ops", 8);
    if (n == 0) {
      throw new MalformedException("empty batch");
    }
    List<KvCommand.Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ops.add(new KvCommand.Op(key(d), d.bytes("value")));
    }
    return new KvCommand.Batch(ops);
  }

  private static byte[] key(Decoder d) {
    byte[] k = d.bytes("key");
    if (k == null) {
      throw new MalformedException("key is absent");
    }
    return k;
  }

  private static byte[] value(Decoder d, String what) {
    byte[] v = d.bytes(what);
    if (v == null) {
      throw new MalformedException(what + " is absent");
    }
    return v;
  }
}
