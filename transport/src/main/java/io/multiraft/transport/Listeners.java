package io.multiraft.transport;

import io.multiraft.transport.proto.ChannelKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The two listening sockets of a node: the message stream (on the configured address) and the
 * snapshot listener (same host, its own port and event loop). Every accepted connection starts
 * with the handshake and a small frame limit; a silent one is closed after its idle timeout.
 */
final class Listeners {
  private Listeners() {}

  static Channel stream(TransportContext t) {
    return bind(t, t.loops.stream, t.cfg.bindAddress(), ChannelKind.CHANNEL_STREAM, t.cfg.deadPeerTimeoutMs(),
        peer -> new StreamReceiver(t, peer));
  }

  static Channel snapshot(TransportContext t, SnapshotStore store) {
    InetSocketAddress address = new InetSocketAddress(t.cfg.bindAddress().getAddress(), t.cfg.snapshotPort());
    return bind(t, t.loops.snapshot, address, ChannelKind.CHANNEL_SNAPSHOT, t.cfg.snapshotIdleTimeoutMs(),
        peer -> new SnapshotReceiver(t, store, peer));
  }

  private static Channel bind(TransportContext t, EventLoopGroup group, InetSocketAddress address, ChannelKind kind,
      long readIdleMs, LongFunction<ChannelHandler> handler) {
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(t.loops.serverChannel)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            SslHandler ssl = t.newSslHandler(ch, true);
            if (ssl != null) {
              ch.pipeline().addLast("ssl", ssl);
            }
            ch.pipeline().addLast("frames", new FrameDecoder(t.errors, t.counters));
            ch.pipeline().addLast("idle", new IdleStateHandler(readIdleMs, 0, 0, TimeUnit.MILLISECONDS));
            ch.pipeline().addLast("handshake", new HandshakeAcceptor(t, kind, handler));
          }
        });
    var f = b.bind(address).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IllegalStateException("node " + t.nodeId + ": cannot listen for " + kind + " connections on " + address
          + ": " + f.cause().getMessage(), f.cause());
    }
    return f.channel();
  }
}
