package io.multiraft.transport;

import io.multiraft.transport.wire.ControlFrames;
import io.multiraft.transport.wire.FrameKind;
import io.multiraft.transport.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialing end of an established message stream. Keeps the connection alive: after a keepalive
 * interval without anything from the listener it sends a ping (answered by a pong), and only a
 * peer silent for the dead-peer timeout is disconnected, so a healthy idle peer is never dropped.
 */
final class StreamClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(StreamClientHandler.class);
  private static final AtomicLong PING_IDS = new AtomicLong();

  private final TransportContext t;
  private final PeerLink link;
  private long silentSinceMs;

  StreamClientHandler(TransportContext t, PeerLink link) {
    this.t = t;
    this.link = link;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf body = (ByteBuf) msg;
    silentSinceMs = 0;
    try {
      ControlFrames.decode(body, FrameKind.PONG); // the listener sends nothing else on this connection
    } catch (ProtocolException e) {
      t.errors.report(ctx.channel(), e.getMessage());
    } finally {
      body.release();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      silentSinceMs += t.cfg.keepaliveIntervalMs();
      if (silentSinceMs >= t.cfg.deadPeerTimeoutMs()) {
        LOG.info("node {}: nothing from node {} at {} for {} ms, closing", t.nodeId, link.peer,
            ctx.channel().remoteAddress(), silentSinceMs);
        ChannelState.closeLocally(ctx.channel());
        return;
      }
      ByteBuf ping = ControlFrames.encode(ctx.alloc(), ControlFrames.ping(PING_IDS.incrementAndGet()));
      t.counters.bytesSent.add(ping.readableBytes());
      t.counters.keepalivesSent.increment();
      ctx.writeAndFlush(ping, ctx.voidPromise());
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      link.drain();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof java.io.IOException) {
      LOG.debug("node {}: stream to node {} failed", t.nodeId, link.peer, cause); // the connection broke: reconnect handles it
    } else {
      LOG.warn("node {}: stream to node {} failed, closing", t.nodeId, link.peer, cause);
    }
    ChannelState.closeLocally(ctx.channel());
  }
}
