package io.multiraft.transport;

import io.multiraft.transport.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving end of an admin connection on the transport's listener (after an admin handshake,
 * see {@link HandshakeAcceptor}): hands each request to the node's {@link AdminService} and writes its
 * reply back when it completes, so slow requests do not hold up the event loop or each other.
 */
final class AdminEndpoint extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);

  private final TransportContext t;
  private final AdminService service;

  AdminEndpoint(TransportContext t, AdminService service) {
    this.t = t;
    this.service = service;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf body = (ByteBuf) msg;
    AdminFrames.Request req;
    try {
      req = AdminFrames.decodeRequest(body);
    } catch (ProtocolException e) {
      t.errors.report(ctx.channel(), e.getMessage());
      return;
    } finally {
      body.release();
    }
    Channel ch = ctx.channel();
    CompletableFuture<AdminFrames.Reply> reply;
    try {
      reply = service.call(req.method(), req.body());
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((r, e) -> {
      AdminFrames.Reply out = e == null ? r
          : new AdminFrames.Reply(false, ("admin method " + req.method() + " failed: " + e).getBytes(StandardCharsets.UTF_8));
      if (ch.isActive()) {
        ch.writeAndFlush(AdminFrames.response(ch.alloc(), req.id(), out));
      }
    });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      ChannelState.closeLocally(ctx.channel()); // an idle admin client reconnects when it needs to
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("node {}: admin connection {} failed", t.nodeId, ChannelState.describe(ctx.channel()), cause);
    ChannelState.closeLocally(ctx.channel());
  }
}
