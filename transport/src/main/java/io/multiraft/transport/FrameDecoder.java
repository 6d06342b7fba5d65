package io.multiraft.transport;

import io.multiraft.transport.wire.FrameSplitter;
import io.multiraft.transport.wire.ProtocolException;
import io.multiraft.transport.wire.WireConstants;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frame bodies. Until the handshake is accepted only a tiny frame is
 * allowed, so an unauthenticated peer cannot make us buffer megabytes; then the configured
 * maximum. A bad length closes the connection before anything is reserved for the frame.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private final ProtocolErrors errors;
  private final TransportCounters counters;
  private int maxFrameBytes = WireConstants.MAX_HANDSHAKE_FRAME_BYTES;
  private boolean failed;

  FrameDecoder(ProtocolErrors errors, TransportCounters counters) {
    this.errors = errors;
    this.counters = counters;
  }

  /** Called by the handshake once the peer is accepted. */
  void maxFrameBytes(int max) {
    this.maxFrameBytes = max;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed || ChannelState.closedLocally(ctx.channel())) {
      in.skipBytes(in.readableBytes()); // nothing more is read from a connection we are closing
      return;
    }
    try {
      ByteBuf body = FrameSplitter.next(in, maxFrameBytes);
      if (body != null) {
        counters.bytesReceived.add(WireConstants.LENGTH_PREFIX_BYTES + body.readableBytes());
        out.add(body);
      }
    } catch (ProtocolException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      errors.report(ctx.channel(), e.getMessage());
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (!failed && in.isReadable() && !ChannelState.closedLocally(ctx.channel())) {
      int pending = in.readableBytes();
      in.skipBytes(pending);
      failed = true;
      errors.report(ctx.channel(), "connection closed inside a frame (" + pending + " bytes of an incomplete frame)");
    }
  }
}
