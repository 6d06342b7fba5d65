package io.multiraft.transport.wire;

import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Messages and frames for codec tests. */
final class WireMessages {
  static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

  private WireMessages() {}

  static Message heartbeat(long group, long term, long commit, long context) {
    return new Message(group, MessageType.HEARTBEAT, 1, 2, term, 0, 0, null, commit, false, 0, null, context);
  }

  static Message response(long group, long term, long context) {
    return new Message(group, MessageType.HEARTBEAT_RESPONSE, 1, 2, term, 0, 0, null, 0, false, 0, null, context);
  }

  /** A message of any non-snapshot type with random field values. */
  static Message random(SplittableRandom r) {
    MessageType[] types = MessageType.values();
    MessageType type;
    do {
      type = types[r.nextInt(types.length)];
    } while (type == MessageType.SNAPSHOT);
    List<Entry> entries = new ArrayList<>();
    int n = r.nextInt(4) == 0 ? r.nextInt(5) : 0;
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(300)];
      r.nextBytes(data);
      entries.add(new Entry(value(r), value(r), r.nextBoolean() ? EntryType.NORMAL : EntryType.CONF_CHANGE, data));
    }
    long context = r.nextInt(3) == 0 ? 0 : r.nextLong(-3, Long.MAX_VALUE);
    return new Message(value(r), type, 1, 2, value(r), value(r), value(r), entries, value(r), r.nextBoolean(),
        value(r), null, context);
  }

  /** Non-negative, often zero or small, sometimes huge: every varint length. */
  static long value(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> 0;
      case 1 -> r.nextLong(128);
      case 2 -> r.nextLong(1L << 20);
      default -> r.nextLong(Long.MAX_VALUE);
    };
  }

  static boolean same(Message a, Message b) {
    return a.groupId == b.groupId && a.type == b.type && a.from == b.from && a.to == b.to && a.term == b.term
        && a.logTerm == b.logTerm && a.index == b.index && a.entries.equals(b.entries) && a.commit == b.commit
        && a.reject == b.reject && a.rejectHint == b.rejectHint && a.context == b.context;
  }

  /** Encodes with a fresh encoder; every message must fit one frame. */
  static ByteBuf frame(List<Message> messages) {
    BatchEncoder enc = new BatchEncoder(16 << 20);
    for (Message m : messages) {
      if (!enc.add(m)) {
        throw new AssertionError("did not fit: " + m);
      }
    }
    return enc.encode(ALLOC);
  }

  /** The body of a length-prefixed frame (prefix skipped), sharing its memory. */
  static ByteBuf body(ByteBuf frame) {
    return frame.slice(WireConstants.LENGTH_PREFIX_BYTES, frame.readableBytes() - WireConstants.LENGTH_PREFIX_BYTES);
  }

  static List<Message> decode(ByteBuf frame) throws ProtocolException {
    List<Message> out = new ArrayList<>();
    BatchDecoder.decode(body(frame), 1, 2, out);
    return out;
  }

  static byte[] bytes(ByteBuf buf) {
    byte[] b = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), b);
    return b;
  }
}
