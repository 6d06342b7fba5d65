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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of the handshake: the first frame must be a Hello of this protocol version,
 * this cluster, the expected connection kind, from a known node other than this one, whose TLS
 * certificate (if any) names it, and - for the message stream - not already connected. Anything
 * else closes the connection with a log line naming the address. On success it answers with its
 * own Hello and hands the connection to the handler for that kind.
 */
final class HandshakeAcceptor extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeAcceptor.class);

  private final TransportContext t;
  private final ChannelKind kind;
  private final LongFunction<ChannelHandler> next;
  private ScheduledFuture<?> timeout;
  private boolean done;

  HandshakeAcceptor(TransportContext t, ChannelKind kind, LongFunction<ChannelHandler> next) {
    this.t = t;
    this.kind = kind;
    this.next = next;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      if (!done && ctx.channel().isActive()) {
        t.errors.report(ctx.channel(), "no handshake within " + t.cfg.handshakeTimeoutMs() + " ms");
      }
    }, t.cfg.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf body = (ByteBuf) msg;
    try {
      if (done) {
        return; // a frame pipelined behind a refused Hello
      }
      Hello hello = ControlFrames.decode(body, FrameKind.HELLO).getHello();
      accept(ctx, hello);
    } catch (ProtocolException e) {
      done = true;
      t.errors.report(ctx.channel(), "handshake refused: " + e.getMessage());
    } finally {
      body.release();
    }
  }

  private void accept(ChannelHandlerContext ctx, Hello hello) throws ProtocolException {
    Channel ch = ctx.channel();
    long id = hello.getNodeId();
    if (hello.getProtocolVersion() != WireConstants.PROTOCOL_VERSION) {
      throw new ProtocolException("protocol version " + hello.getProtocolVersion() + " from a peer claiming node " + id
          + "; this node speaks version " + WireConstants.PROTOCOL_VERSION);
    }
    if (hello.getKind() == ChannelKind.CHANNEL_ADMIN && kind == ChannelKind.CHANNEL_STREAM) {
      acceptAdmin(ctx, hello);
      return;
    }
    if (!hello.getClusterId().equals(t.cfg.clusterId())) {
      throw new ProtocolException("cluster id '" + hello.getClusterId() + "' from a peer claiming node " + id
          + "; this node belongs to cluster '" + t.cfg.clusterId() + "'");
    }
    if (hello.getKind() != kind) {
      throw new ProtocolException("a " + hello.getKind() + " handshake on the " + kind + " listener");
    }
    if (id == t.nodeId) {
      throw new ProtocolException("peer claims this node's own id " + id);
    }
    if (!t.peers.containsKey(id)) {
      throw new ProtocolException("unknown node id " + id + " (known peers: " + new TreeSet<>(t.peers.keySet()) + ")");
    }
    PeerIdentity.verify(ch, id);
    if (t.faults.partitioned(id, t.nodeId)) {
      done = true;
      LOG.debug("node {}: refusing node {} at {}: partitioned by fault injection", t.nodeId, id, ch.remoteAddress());
      ChannelState.closeLocally(ch);
      return;
    }
    if (kind == ChannelKind.CHANNEL_STREAM) {
      claimStream(ch, id);
    }
    done = true;
    timeout.cancel(false);
    ch.attr(ChannelState.PEER).set(id);
    int snapshotPort = kind == ChannelKind.CHANNEL_STREAM ? t.snapshotPort : 0;
    ch.writeAndFlush(ControlFrames.encode(ch.alloc(), ControlFrames.hello(t.cfg.clusterId(), t.nodeId, kind, snapshotPort)));
    ch.pipeline().get(FrameDecoder.class).maxFrameBytes(t.cfg.maxFrameBytes());
    t.counters.connectionsAccepted.increment();
    ctx.pipeline().replace(this, "main", next.apply(id));
  }

  /**
   * An admin client is not a node: it need not claim an id or know the cluster id (a tool), but if
   * it names a cluster it must be ours. Under TLS the client's certificate was already verified
   * against our trust store (client authentication is required), which is what admits it.
   */
  private void acceptAdmin(ChannelHandlerContext ctx, Hello hello) throws ProtocolException {
    Channel ch = ctx.channel();
    AdminService service = t.admin;
    if (service == null) {
      throw new ProtocolException("an admin handshake, but this node serves no admin requests");
    }
    if (!hello.getClusterId().isEmpty() && !hello.getClusterId().equals(t.cfg.clusterId())) {
      throw new ProtocolException("admin client for cluster '" + hello.getClusterId() + "'; this node belongs to cluster '"
          + t.cfg.clusterId() + "'");
    }
    done = true;
    timeout.cancel(false);
    ch.writeAndFlush(ControlFrames.encode(ch.alloc(), ControlFrames.hello(t.cfg.clusterId(), t.nodeId, ChannelKind.CHANNEL_ADMIN, 0)));
    ch.pipeline().get(FrameDecoder.class).maxFrameBytes(t.cfg.maxFrameBytes());
    t.counters.connectionsAccepted.increment();
    ctx.pipeline().replace(this, "admin", new AdminEndpoint(t, service));
  }

  /** One stream per peer: a second live one means two processes claim the same id. */
  private void claimStream(Channel ch, long id) throws ProtocolException {
    while (true) {
      Channel existing = t.inboundStreams.putIfAbsent(id, ch);
      if (existing == null) {
        break;
      }
      if (existing.isActive()) {
        throw new ProtocolException("duplicate node id " + id + ": node " + id + " is already connected from "
            + existing.remoteAddress());
      }
      if (t.inboundStreams.replace(id, existing, ch)) {
        break;
      }
    }
    ch.closeFuture().addListener(f -> t.inboundStreams.remove(id, ch));
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
