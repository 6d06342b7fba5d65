package io.multiraft.transport.wire;

import io.multiraft.core.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * What a receiver does with bytes from the network, minus the sockets: cut frames, decode each by
 * kind. Bad input may only ever raise {@link ProtocolException}; anything else (an index out of
 * bounds, a huge allocation, a null) is a bug. A batch that decodes must encode back to the same
 * messages.
 */
final class FrameFuzzing {
  static final int MAX_FRAME_BYTES = 1 << 16;

  private FrameFuzzing() {}

  /** Returns how many frames decoded cleanly. */
  static int exercise(byte[] input) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    int ok = 0;
    try {
      while (true) {
        ByteBuf body;
        try {
          body = FrameSplitter.next(in, MAX_FRAME_BYTES);
        } catch (ProtocolException e) {
          return ok;
        }
        if (body == null) {
          return ok;
        }
        try {
          decode(body);
          ok++;
        } catch (ProtocolException e) {
          // refused, as it should be; a real connection would be closed here
        } finally {
          body.release();
        }
      }
    } finally {
      in.release();
    }
  }

  private static void decode(ByteBuf body) throws ProtocolException {
    int kind = FrameKind.of(body);
    switch (kind) {
      case FrameKind.BATCH -> {
        List<Message> messages = new ArrayList<>();
        BatchDecoder.decode(body, 1, 2, messages);
        checkRoundTrip(messages);
      }
      case FrameKind.SNAPSHOT_CHUNK -> ChunkFrames.decode(body).data().release();
      case FrameKind.SNAPSHOT_BEGIN -> SnapshotFrames.validate(
          ControlFrames.decode(body, kind).getSnapshotBegin(), Integer.MAX_VALUE - 8);
      default -> ControlFrames.decode(body, kind);
    }
  }

  /** Decoded messages survive another encode/decode unchanged (heartbeats merge, so compare counts loosely). */
  private static void checkRoundTrip(List<Message> messages) throws ProtocolException {
    BatchEncoder enc = new BatchEncoder(Integer.MAX_VALUE);
    for (Message m : messages) {
      if (!enc.add(m)) {
        throw new IllegalStateException("a decoded message does not encode: " + m);
      }
    }
    if (enc.isEmpty()) {
      return;
    }
    ByteBuf again = enc.encode(WireMessages.ALLOC);
    try {
      List<Message> back = new ArrayList<>();
      BatchDecoder.decode(WireMessages.body(again), 1, 2, back);
      if (back.size() > messages.size()) {
        throw new IllegalStateException("re-encoding grew " + messages.size() + " messages to " + back.size());
      }
      for (Message m : back) {
        if (messages.stream().noneMatch(o -> o.groupId == m.groupId && o.type == m.type)) {
          throw new IllegalStateException("re-encoding invented " + m);
        }
      }
    } finally {
      again.release();
    }
  }
}
