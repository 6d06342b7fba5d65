package io.multiraft.transport;

import io.multiraft.transport.proto.ChannelKind;
import io.multiraft.transport.proto.Hello;
import io.multiraft.transport.wire.ControlFrames;
import io.multiraft.transport.wire.FrameKind;
import io.multiraft.transport.wire.ProtocolException;
import io.multiraft.transport.wire.WireConstants;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialing side of the handshake: sends our Hello, then checks that the listener's answers as
 * the node we meant to reach (a stale address map reaches the wrong node) with a certificate
 * naming it. Then the connection belongs to the handler {@link Established} returns.
 */
final class HandshakeInitiator extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeInitiator.class);

  interface Established {
    ChannelHandler established(Channel ch, Hello reply);
  }

  private final TransportContext t;
  private final ChannelKind kind;
  private final long expectedPeer;
  private final Established established;
  private ScheduledFuture<?> timeout;
  private boolean done;

  HandshakeInitiator(TransportContext t, ChannelKind kind, long expectedPeer, Established established) {
    this.t = t;
    this.kind = kind;
    this.expectedPeer = expectedPeer;
    this.established = established;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    Channel ch = ctx.channel();
    ch.attr(ChannelState.DIALED).set(expectedPeer);
    ch.writeAndFlush(ControlFrames.encode(ch.alloc(), ControlFrames.hello(t.cfg.clusterId(), t.nodeId, kind, 0)));
    timeout = ctx.executor().schedule(() -> {
      if (!done && ch.isActive()) {
        LOG.info("node {}: no handshake answer from node {} at {} within {} ms", t.nodeId, expectedPeer,
            ch.remoteAddress(), t.cfg.handshakeTimeoutMs());
        ChannelState.closeLocally(ch);
      }
    }, t.cfg.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf body = (ByteBuf) msg;
    try {
      if (done) {
        return;
      }
      Hello reply = ControlFrames.decode(body, FrameKind.HELLO).getHello();
      check(ctx.channel(), reply);
      done = true;
      timeout.cancel(false);
      ctx.channel().attr(ChannelState.PEER).set(expectedPeer);
      ctx.pipeline().replace(this, "main", established.established(ctx.channel(), reply));
    } catch (ProtocolException e) {
      done = true;
      t.errors.report(ctx.channel(), "handshake answer refused: " + e.getMessage());
    } finally {
      body.release();
    }
  }

  private void check(Channel ch, Hello reply) throws ProtocolException {
    if (reply.getProtocolVersion() != WireConstants.PROTOCOL_VERSION) {
      throw new ProtocolException("protocol version " + reply.getProtocolVersion() + "; this node speaks version "
          + WireConstants.PROTOCOL_VERSION);
    }
    if (!reply.getClusterId().equals(t.cfg.clusterId())) {
      throw new ProtocolException("cluster id '" + reply.getClusterId() + "'; this node belongs to cluster '"
          + t.cfg.clusterId() + "'");
    }
    if (reply.getNodeId() != expectedPeer) {
      throw new ProtocolException("the address of node " + expectedPeer + " answers as node " + reply.getNodeId());
    }
    if (reply.getKind() != kind) {
      throw new ProtocolException("a " + reply.getKind() + " answer to a " + kind + " handshake");
    }
    PeerIdentity.verify(ch, expectedPeer);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timeout != null) {
      timeout.cancel(false);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String tls = TlsFailure.describe(cause);
    if (tls != null) {
      t.errors.report(ctx.channel(), "TLS handshake failed: " + tls);
      return;
    }
    LOG.debug("node {}: handshake with {} failed", t.nodeId, ChannelState.describe(ctx.channel()), cause);
    ChannelState.closeLocally(ctx.channel());
  }
}
