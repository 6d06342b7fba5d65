package io.multiraft.transport.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.multiraft.transport.proto.ChannelKind;
import io.multiraft.transport.proto.Frame;
import io.multiraft.transport.proto.Hello;
import io.multiraft.transport.proto.Ping;
import io.multiraft.transport.proto.Pong;
import io.multiraft.transport.proto.SnapshotAck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The rare frames (handshake, keepalive, snapshot begin/end/ack) through the classes protoc
 * generates: a few per connection or per transfer, so clarity beats saving an allocation.
 */
public final class ControlFrames {
  private ControlFrames() {}

  public static ByteBuf encode(ByteBufAllocator alloc, Frame frame) {
    int body = frame.getSerializedSize();
    int total = WireConstants.LENGTH_PREFIX_BYTES + body;
    ByteBuf buf = alloc.ioBuffer(total, total);
    try {
      buf.writeInt(body);
      CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBuffer(WireConstants.LENGTH_PREFIX_BYTES, body));
      frame.writeTo(out);
      out.flush();
      buf.writerIndex(total);
      return buf;
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a control frame body, which must hold exactly {@code expectedKind}. */
  public static Frame decode(ByteBuf body, int expectedKind) throws ProtocolException {
    int kind = FrameKind.of(body);
    if (kind != expectedKind) {
      throw new ProtocolException("expected a " + FrameKind.name(expectedKind) + " frame, got " + FrameKind.name(kind));
    }
    try {
      Frame frame = Frame.parseFrom(body.nioBuffer());
      if (frame.getBodyCase().getNumber() != expectedKind) {
        throw new ProtocolException("frame holds " + frame.getBodyCase() + " after a " + FrameKind.name(kind) + " tag");
      }
      return frame;
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("malformed " + FrameKind.name(kind) + " frame", e);
    }
  }

  public static Frame hello(String clusterId, long nodeId, ChannelKind kind, int snapshotPort) {
    return Frame.newBuilder()
        .setHello(Hello.newBuilder()
            .setClusterId(clusterId)
            .setNodeId(nodeId)
            .setProtocolVersion(WireConstants.PROTOCOL_VERSION)
            .setKind(kind)
            .setSnapshotPort(snapshotPort))
        .build();
  }

  public static Frame ping(long id) {
    return Frame.newBuilder().setPing(Ping.newBuilder().setId(id)).build();
  }

  public static Frame pong(long id) {
    return Frame.newBuilder().setPong(Pong.newBuilder().setId(id)).build();
  }

  public static Frame ack(long transferId, boolean ok, String error) {
    return Frame.newBuilder()
        .setSnapshotAck(SnapshotAck.newBuilder().setTransferId(transferId).setOk(ok).setError(error == null ? "" : error))
        .build();
  }
}
