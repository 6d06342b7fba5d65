package io.multiraft.rangestore.log;

import io.multiraft.core.ConfState;
import io.multiraft.core.HardState;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.LogStoreException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * The records of raft_state, one key per (group, kind). Each value is a record version byte, the
 * fields (big-endian), then a CRC32C of everything before it, so a damaged record is refused with
 * its group and kind named instead of starting a group from wrong state.
 */
final class StateCodec {
  static final byte HARD_STATE = 1;
  /** The compaction point: (index, term) of the entry just before the first stored one. */
  static final byte TRUNCATED = 2;
  static final byte CONF_STATE = 3;
  static final byte SNAPSHOT = 4;

  private static final byte RECORD_VERSION = 1;

  private StateCodec() {}

  static String kindName(byte kind) {
    return switch (kind) {
      case HARD_STATE -> "hard state";
      case TRUNCATED -> "truncated state";
      case CONF_STATE -> "membership";
      case SNAPSHOT -> "snapshot metadata";
      default -> "unknown record " + kind;
    };
  }

  static byte[] hardState(HardState hs) {
    ByteBuffer b = start(24);
    b.putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit());
    return finish(b);
  }

  static byte[] truncated(long index, long term) {
    ByteBuffer b = start(16);
    b.putLong(index).putLong(term);
    return finish(b);
  }

  static byte[] confState(ConfState cs) {
    ByteBuffer b = start(confBytes(cs));
    putConf(b, cs);
    return finish(b);
  }

  static byte[] snapshot(SnapshotMeta meta) {
    ByteBuffer b = start(16 + confBytes(meta.confState()));
    b.putLong(meta.index()).putLong(meta.term());
    putConf(b, meta.confState());
    return finish(b);
  }

  static HardState readHardState(long groupId, byte[] v, String where) {
    ByteBuffer b = open(groupId, HARD_STATE, v, where);
    try {
      return new HardState(b.getLong(), b.getLong(), b.getLong());
    } catch (BufferUnderflowException e) {
      throw corrupt(groupId, HARD_STATE, where, "is too short");
    }
  }

  /** {index, term}. */
  static long[] readTruncated(long groupId, byte[] v, String where) {
    ByteBuffer b = open(groupId, TRUNCATED, v, where);
    try {
      return new long[] {b.getLong(), b.getLong()};
    } catch (BufferUnderflowException e) {
      throw corrupt(groupId, TRUNCATED, where, "is too short");
    }
  }

  static ConfState readConfState(long groupId, byte[] v, String where) {
    ByteBuffer b = open(groupId, CONF_STATE, v, where);
    try {
      return getConf(b);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw corrupt(groupId, CONF_STATE, where, "does not decode: " + e);
    }
  }

  static SnapshotMeta readSnapshot(long groupId, byte[] v, String where) {
    ByteBuffer b = open(groupId, SNAPSHOT, v, where);
    try {
      long index = b.getLong();
      long term = b.getLong();
      return new SnapshotMeta(index, term, getConf(b));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw corrupt(groupId, SNAPSHOT, where, "does not decode: " + e);
    }
  }

  // ---------------------------------------------------------------- framing

  private static ByteBuffer start(int fieldBytes) {
    ByteBuffer b = ByteBuffer.allocate(1 + fieldBytes + 4);
    b.put(RECORD_VERSION);
    return b;
  }

  private static byte[] finish(ByteBuffer b) {
    byte[] out = b.array();
    CRC32C crc = new CRC32C();
    crc.update(out, 0, out.length - 4);
    b.putInt(out.length - 4, (int) crc.getValue());
    return out;
  }

  private static ByteBuffer open(long groupId, byte kind, byte[] v, String where) {
    if (v.length < 5) {
      throw corrupt(groupId, kind, where, "is truncated (" + v.length + " bytes)");
    }
    CRC32C crc = new CRC32C();
    crc.update(v, 0, v.length - 4);
    ByteBuffer b = ByteBuffer.wrap(v);
    if (b.getInt(v.length - 4) != (int) crc.getValue()) {
      throw corrupt(groupId, kind, where, "failed its CRC32C check");
    }
    if (v[0] != RECORD_VERSION) {
      throw corrupt(groupId, kind, where, "has record version " + v[0] + ", this build reads " + RECORD_VERSION);
    }
    b.position(1);
    b.limit(v.length - 4);
    return b;
  }

  private static LogStoreException corrupt(long groupId, byte kind, String where, String problem) {
    return new LogStoreException("corrupt " + kindName(kind) + " record of group " + groupId + " in " + where + ": it "
        + problem + "; the replica must be rebuilt (remove the group's data and re-add the replica)");
  }

  // ---------------------------------------------------------------- membership

  private static int confBytes(ConfState cs) {
    return 1 + 16 + 8 * (cs.voters().size() + cs.learners().size() + cs.votersOutgoing().size() + cs.learnersNext().size());
  }

  private static void putConf(ByteBuffer b, ConfState cs) {
    b.put((byte) (cs.autoLeave() ? 1 : 0));
    putIds(b, cs.voters());
    putIds(b, cs.learners());
    putIds(b, cs.votersOutgoing());
    putIds(b, cs.learnersNext());
  }

  private static ConfState getConf(ByteBuffer b) {
    boolean autoLeave = b.get() == 1;
    SortedSet<Long> voters = getIds(b);
    SortedSet<Long> learners = getIds(b);
    SortedSet<Long> outgoing = getIds(b);
    SortedSet<Long> learnersNext = getIds(b);
    if (b.hasRemaining()) {
      throw new IllegalArgumentException(b.remaining() + " bytes left over");
    }
    return new ConfState(voters, learners, outgoing, learnersNext, autoLeave);
  }

  private static void putIds(ByteBuffer b, Set<Long> ids) {
    b.putInt(ids.size());
    for (long id : ids) {
      b.putLong(id);
    }
  }

  private static SortedSet<Long> getIds(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining() / 8) {
      throw new IllegalArgumentException("member count " + n);
    }
    SortedSet<Long> ids = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      ids.add(b.getLong());
    }
    return ids;
  }
}
