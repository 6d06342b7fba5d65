package io.multiraft.transport;

import io.multiraft.transport.proto.ChannelKind;
import io.multiraft.transport.proto.Hello;
import io.multiraft.transport.wire.ControlFrames;
import io.multiraft.transport.wire.FrameKind;
import io.multiraft.transport.wire.ProtocolException;
import io.multiraft.transport.wire.WireConstants;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client end of admin requests to one node, over that node's transport listener: one
 * connection, opened on first use with an admin handshake (and mutual TLS when configured), many
 * requests in flight on it, reopened after it closes. A node that cannot be reached, refuses the
 * handshake, or speaks TLS when we do not (or the reverse) fails the calls at once with an
 * {@link Unreachable} that says which, never a hang: the handshake has a deadline.
 */
public final class AdminConnector implements AutoCloseable {
  /** The admin request could not reach the node; the message names the likely cause. */
  public static final class Unreachable extends RuntimeException {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static volatile EventLoopGroup shared;

  private final InetSocketAddress address;
  private final TlsConfig tls;
  private final EventLoopGroup loop;
  private final long handshakeTimeoutMs;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<AdminFrames.Reply>> pending = new ConcurrentHashMap<>();
  private Channel channel; // guarded by this

  /**
   * @param tls null for plaintext
   * @param loop the event loop for the connection; {@link #sharedLoop()} for tools and coordinators
   */
  public AdminConnector(InetSocketAddress address, TlsConfig tls, EventLoopGroup loop, long handshakeTimeoutMs) {
    this.address = address;
    this.tls = tls;
    this.loop = loop;
    this.handshakeTimeoutMs = handshakeTimeoutMs;
  }

  /** One daemon thread for every admin connection of the process: admin traffic is light. */
  public static EventLoopGroup sharedLoop() {
    EventLoopGroup g = shared;
    if (g == null) {
      synchronized (AdminConnector.class) {
        if (shared == null) {
          shared = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("admin-client", true), NioIoHandler.newFactory());
        }
        g = shared;
      }
    }
    return g;
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Sends a request; the future completes with the node's reply, or fails with {@link Unreachable}. */
  public CompletableFuture<AdminFrames.Reply> call(String method, byte[] body) {
    long id = ids.incrementAndGet();
    CompletableFuture<AdminFrames.Reply> f = new CompletableFuture<>();
    pending.put(id, f);
    f.whenComplete((r, e) -> pending.remove(id));
    Channel ch;
    try {
      ch = channel();
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
      return f;
    }
    ch.writeAndFlush(AdminFrames.request(ch.alloc(), id, method, body));
    return f;
  }

  private synchronized Channel channel() {
    if (channel != null && channel.isActive()) {
      return channel;
    }
    Bootstrap b = new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, handshakeTimeoutMs))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (tls != null) {
              ch.pipeline().addLast("ssl", tls.clientContext().newHandler(ch.alloc(), address.getHostString(), address.getPort()));
            }
            ch.pipeline().addLast("frames", new LengthFieldBasedFrameDecoder(Integer.MAX_VALUE, 0,
                WireConstants.LENGTH_PREFIX_BYTES, 0, WireConstants.LENGTH_PREFIX_BYTES));
            ch.pipeline().addLast("admin", new Handler());
          }
        });
    ChannelFuture cf = b.connect(address);
    if (!cf.awaitUninterruptibly(handshakeTimeoutMs + 1000, TimeUnit.MILLISECONDS) || !cf.isSuccess()) {
      cf.channel().close();
      Throwable c = cf.cause();
      throw new Unreachable("node at " + address.getHostString() + ":" + address.getPort() + " is unreachable ("
          + (c == null ? "no connection within " + handshakeTimeoutMs + " ms" : c.getMessage())
          + "); check the address and that its server runs", c);
    }
    Channel ch = cf.channel();
    // The admin handshake goes first; requests written after it are queued behind it on the socket.
    ch.writeAndFlush(ControlFrames.encode(ch.alloc(), ControlFrames.hello("", 0, ChannelKind.CHANNEL_ADMIN, 0)));
    channel = ch;
    return ch;
  }

  private void failAll(String why, Throwable cause) {
    Unreachable u = new Unreachable(why, cause);
    for (CompletableFuture<AdminFrames.Reply> f : pending.values()) {
      f.completeExceptionally(u);
    }
  }

  private String who() {
    return "node at " + address.getHostString() + ":" + address.getPort();
  }

  /** Reads the handshake answer, then responses; fails every pending call when the connection ends. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    private boolean greeted;
    private String failure;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      ctx.executor().schedule(() -> {
        if (!greeted && ctx.channel().isActive()) {
          failure = who() + " did not answer the admin handshake within " + handshakeTimeoutMs + " ms"
              + (tls == null ? "; if it uses TLS, pass --tls-cert, --tls-key and --tls-trust" : "; is it a range store node with TLS?");
          ctx.close();
        }
      }, handshakeTimeoutMs, TimeUnit.MILLISECONDS);
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf body = (ByteBuf) msg;
      try {
        if (!greeted) {
          Hello hello = ControlFrames.decode(body, FrameKind.HELLO).getHello();
          if (hello.getKind() != ChannelKind.CHANNEL_ADMIN) {
            throw new ProtocolException("a " + hello.getKind() + " answer to an admin handshake");
          }
          greeted = true;
          return;
        }
        AdminFrames.Response r = AdminFrames.decodeResponse(body);
        CompletableFuture<AdminFrames.Reply> f = pending.get(r.id());
        if (f != null) {
          f.complete(r.reply());
        }
      } catch (ProtocolException e) {
        failure = who() + " answered something that is not an admin reply (" + e.getMessage() + ")";
        ctx.close();
      } finally {
        body.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      String tlsError = TlsFailure.describe(cause);
      if (failure == null) {
        failure = tlsError != null
            ? "TLS handshake with " + who() + " failed (" + tlsError + ")"
                + (tls == null ? "" : "; does the node use TLS, with a certificate this client's --tls-trust trusts, and trust ours?")
            : "connection to " + who() + " failed: " + cause;
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      String why = failure != null ? failure
          : greeted ? "connection to " + who() + " closed"
          : who() + " closed the connection during the admin handshake"
              + (tls == null ? "; if it uses TLS, pass --tls-cert, --tls-key and --tls-trust"
                  : "; it may not use TLS, or it does not trust this client's certificate");
      failAll(why, null);
      super.channelInactive(ctx);
    }
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
