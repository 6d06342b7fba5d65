package io.multiraft.transport;

import io.multiraft.transport.wire.ProtocolException;
import io.multiraft.transport.wire.WireConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The frames of an admin connection after its handshake: a request names a method and carries an
 * opaque body; a response carries the request's id, whether it succeeded and an opaque body (the
 * application's result or its encoded error). Several requests may be in flight on one connection.
 * Length-prefixed like every frame; the first body byte marks the kind, with the high bit set so an
 * admin frame can never be mistaken for a protobuf frame of the message protocol.
 *
 * <pre>
 * request:  0xA1 | id i64 | method length u16 | method UTF-8 | body
 * response: 0xA2 | id i64 | ok u8 | body
 * </pre>
 */
public final class AdminFrames {
  static final int REQUEST = 0xA1;
  static final int RESPONSE = 0xA2;
  private static final int MAX_METHOD_BYTES = 255;

  private AdminFrames() {}

  /** A decoded request. */
  public record Request(long id, String method, byte[] body) {}

  /** What the service answered; {@code body} is opaque to the transport. */
  public record Reply(boolean ok, byte[] body) {}

  /** A decoded response. */
  public record Response(long id, Reply reply) {}

  public static ByteBuf request(ByteBufAllocator alloc, long id, String method, byte[] body) {
    byte[] name = method.getBytes(StandardCharsets.UTF_8);
    if (name.length == 0 || name.length > MAX_METHOD_BYTES) {
      throw new IllegalArgumentException("admin method names are 1 to " + MAX_METHOD_BYTES + " bytes, got '" + method + "'");
    }
    int size = 1 + 8 + 2 + name.length + body.length;
    ByteBuf buf = alloc.buffer(WireConstants.LENGTH_PREFIX_BYTES + size);
    buf.writeInt(size).writeByte(REQUEST).writeLong(id).writeShort(name.length).writeBytes(name).writeBytes(body);
    return buf;
  }

  public static ByteBuf response(ByteBufAllocator alloc, long id, Reply reply) {
    int size = 1 + 8 + 1 + reply.body().length;
    ByteBuf buf = alloc.buffer(WireConstants.LENGTH_PREFIX_BYTES + size);
    buf.writeInt(size).writeByte(RESPONSE).writeLong(id).writeByte(reply.ok() ? 1 : 0).writeBytes(reply.body());
    return buf;
  }

  /** Decodes a frame body (without its length prefix). */
  public static Request decodeRequest(ByteBuf body) throws ProtocolException {
    expect(body, REQUEST, 1 + 8 + 2, "request");
    long id = body.readLong();
    int nameLength = body.readUnsignedShort();
    if (nameLength == 0 || nameLength > MAX_METHOD_BYTES || body.readableBytes() < nameLength) {
      throw new ProtocolException("admin request " + id + " has a method name of " + nameLength + " bytes");
    }
    String method = body.readCharSequence(nameLength, StandardCharsets.UTF_8).toString();
    byte[] payload = new byte[body.readableBytes()];
    body.readBytes(payload);
    return new Request(id, method, payload);
  }

  /** Decodes a frame body (without its length prefix). */
  public static Response decodeResponse(ByteBuf body) throws ProtocolException {
    expect(body, RESPONSE, 1 + 8 + 1, "response");
    long id = body.readLong();
    int ok = body.readUnsignedByte();
    if (ok > 1) {
      throw new ProtocolException("admin response " + id + " has status byte " + ok);
    }
    byte[] payload = new byte[body.readableBytes()];
    body.readBytes(payload);
    return new Response(id, new Reply(ok == 1, payload));
  }

  private static void expect(ByteBuf body, int kind, int minBytes, String what) throws ProtocolException {
    if (body.readableBytes() < minBytes) {
      throw new ProtocolException("admin " + what + " frame of " + body.readableBytes() + " bytes is too short");
    }
    int k = body.readUnsignedByte();
    if (k != kind) {
      throw new ProtocolException("expected an admin " + what + " frame, got kind 0x" + Integer.toHexString(k));
    }
  }
}
