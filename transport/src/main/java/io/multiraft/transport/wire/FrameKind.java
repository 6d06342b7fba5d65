package io.multiraft.transport.wire;

import io.multiraft.transport.proto.Frame;
import io.netty.buffer.ByteBuf;

/** Which body a frame holds: the field number of its single {@code Frame} field. */
public final class FrameKind {
  public static final int HELLO = Frame.HELLO_FIELD_NUMBER;
  public static final int BATCH = Frame.BATCH_FIELD_NUMBER;
  public static final int PING = Frame.PING_FIELD_NUMBER;
  public static final int PONG = Frame.PONG_FIELD_NUMBER;
  public static final int SNAPSHOT_BEGIN = Frame.SNAPSHOT_BEGIN_FIELD_NUMBER;
  public static final int SNAPSHOT_CHUNK = Frame.SNAPSHOT_CHUNK_FIELD_NUMBER;
  public static final int SNAPSHOT_END = Frame.SNAPSHOT_END_FIELD_NUMBER;
  public static final int SNAPSHOT_ACK = Frame.SNAPSHOT_ACK_FIELD_NUMBER;

  private static final int LENGTH_DELIMITED = 2;

  private FrameKind() {}

  /**
   * The kind of a frame body, read from its first byte without consuming it. Every known body field
   * has a one-byte tag, so anything else is not a frame of this protocol.
   */
  public static int of(ByteBuf body) throws ProtocolException {
    if (!body.isReadable()) {
      throw new ProtocolException("empty frame body");
    }
    int tag = body.getUnsignedByte(body.readerIndex());
    int field = tag >>> 3;
    if ((tag & 0x80) != 0 || (tag & 7) != LENGTH_DELIMITED || field < HELLO || field > SNAPSHOT_ACK) {
      throw new ProtocolException("unknown frame kind (first byte 0x" + Integer.toHexString(tag) + ")");
    }
    return field;
  }

  public static String name(int kind) {
    return switch (kind) {
      case HELLO -> "hello";
      case BATCH -> "batch";
      case PING -> "ping";
      case PONG -> "pong";
      case SNAPSHOT_BEGIN -> "snapshot-begin";
      case SNAPSHOT_CHUNK -> "snapshot-chunk";
      case SNAPSHOT_END -> "snapshot-end";
      case SNAPSHOT_ACK -> "snapshot-ack";
      default -> "unknown(" + kind + ")";
    };
  }
}
