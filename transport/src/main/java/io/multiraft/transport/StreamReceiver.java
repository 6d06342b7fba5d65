package io.multiraft.transport;

import io.multiraft.core.Message;
import io.multiraft.transport.proto.Frame;
import io.multiraft.transport.wire.BatchDecoder;
import io.multiraft.transport.wire.ControlFrames;
import io.multiraft.transport.wire.FrameKind;
import io.multiraft.transport.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening end of a peer's message stream. Decodes batch frames and hands the node everything
 * that arrived in one read at once; answers pings. A peer silent for the dead-peer timeout (it
 * pings more often than that) is disconnected.
 */
final class StreamReceiver extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(StreamReceiver.class);

  private final TransportContext t;
  private final long peer;
  private ArrayList<Message> pending = new ArrayList<>();
  private boolean wrote;

  StreamReceiver(TransportContext t, long peer) {
    this.t = t;
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf body = (ByteBuf) msg;
    try {
      int kind = FrameKind.of(body);
      if (kind == FrameKind.BATCH) {
        int before = pending.size();
        int heartbeats = BatchDecoder.decode(body, peer, t.nodeId, pending);
        t.counters.framesReceived.increment();
        t.counters.messagesReceived.add(pending.size() - before);
        t.counters.heartbeatEntriesReceived.add(heartbeats);
      } else if (kind == FrameKind.PING) {
        Frame ping = ControlFrames.decode(body, FrameKind.PING);
        ByteBuf pong = ControlFrames.encode(ctx.alloc(), ControlFrames.pong(ping.getPing().getId()));
        t.counters.bytesSent.add(pong.readableBytes());
        ctx.write(pong, ctx.voidPromise());
        wrote = true;
      } else {
        throw new ProtocolException("unexpected " + FrameKind.name(kind) + " frame on a message stream");
      }
    } catch (ProtocolException e) {
      pending.clear(); // nothing more from a connection that sent garbage
      t.errors.report(ctx.channel(), e.getMessage());
    } finally {
      body.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (!pending.isEmpty() && ctx.channel().isActive()) {
      ArrayList<Message> batch = pending;
      pending = new ArrayList<>(Math.max(16, batch.size()));
      t.deliver(peer, batch);
    }
    if (wrote) {
      wrote = false;
      ctx.flush();
    }
    super.channelReadComplete(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      LOG.info("node {}: nothing from node {} at {} for {} ms, closing", t.nodeId, peer, ctx.channel().remoteAddress(),
          t.cfg.deadPeerTimeoutMs());
      ChannelState.closeLocally(ctx.channel());
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof java.io.IOException) {
      LOG.debug("node {}: stream from node {} failed", t.nodeId, peer, cause); // the connection broke: reconnect handles it
    } else {
      LOG.warn("node {}: stream from node {} failed, closing", t.nodeId, peer, cause);
    }
    ChannelState.closeLocally(ctx.channel());
  }
}
