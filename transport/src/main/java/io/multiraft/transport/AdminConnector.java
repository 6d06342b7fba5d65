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
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
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
  private final Executor completions;
  private ChannelFuture connecting; // guarded by this

  /**
   * @param tls null for plaintext
   * @param loop the event loop for the connection; {@link #sharedLoop()} for tools and coordinators
   */
  public AdminConnector(InetSocketAddress address, TlsConfig tls, EventLoopGroup loop, long handshakeTimeoutMs) {
    this(address, tls, loop, handshakeTimeoutMs, ForkJoinPool.commonPool());
  }

  /** @param completions where replies complete the callers' futures (never the event loop) */
  public AdminConnector(InetSocketAddress address, TlsConfig tls, EventLoopGroup loop, long handshakeTimeoutMs,
      Executor completions) {
    this.completions = completions;
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

  /**
   * Sends a request; the future completes with the node's reply, or fails with {@link Unreachable}.
   * Never blocks, and completes off the event loop, so a caller may chain (or wait for) another
   * admin call in its continuation.
   */
  public CompletableFuture<AdminFrames.Reply> call(String method, byte[] body) {
    long id = ids.incrementAndGet();
    CompletableFuture<AdminFrames.Reply> f = new CompletableFuture<>();
    ChannelFuture connection;
    try {
      connection = connection();
    } catch (RuntimeException e) {
      f.completeExceptionally(new Unreachable(who() + " is unreachable (" + e.getMessage() + ")", e));
      return f;
    }
    connection.addListener((ChannelFuture cf) -> {
      if (!cf.isSuccess()) {
        Throwable c = cf.cause();
        fail(f, new Unreachable(who() + " is unreachable (" + (c == null ? "connection failed" : c.getMessage())
            + "); check the address and that its server runs", c));
        return;
      }
      // On the channel's event loop, like channelInactive: a call is either registered with a live
      // connection (and failed by its end) or told at once that the connection already ended.
      Channel ch = cf.channel();
      Handler h = ch.attr(HANDLER).get();
      if (h == null || h.ended != null) {
        fail(f, new Unreachable(h == null ? "connection to " + who() + " closed" : h.ended, null));
        return;
      }
      h.pending.put(id, f);
      f.whenComplete((r, e) -> h.pending.remove(id));
      ch.writeAndFlush(AdminFrames.request(ch.alloc(), id, method, body)).addListener(w -> {
        if (!w.isSuccess()) {
          // The connection is failing (a refused or TLS-mismatched handshake, most likely): closing
          // it lets channelInactive fail this call with the handler's diagnosis, the one message.
          ch.close();
        }
      });
    });
    return f;
  }

  /** The connection's handler: a call that finds the channel closed still gets its diagnosis (TLS, refusal). */
  private static final io.netty.util.AttributeKey<Handler> HANDLER = io.netty.util.AttributeKey.valueOf("multiraft.adminHandler");

  /**
   * The connection, opening one if there is none. The handshake's listener is added before any
   * request's, and Netty runs listeners in order, so the Hello is always the first frame sent.
   */

  private synchronized ChannelFuture connection() {
    ChannelFuture c = connecting;
    if (c != null && (!c.isDone() || (c.isSuccess() && c.channel().isActive()))) {
      return c;
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
            Handler h = new Handler();
            ch.attr(HANDLER).set(h); // outlives the pipeline, which a closed channel empties
            ch.pipeline().addLast("admin", h);
          }
        });
    c = b.connect(address);
    c.addListener((ChannelFuture cf) -> {
      if (cf.isSuccess()) {
        Channel ch = cf.channel();
        ch.writeAndFlush(ControlFrames.encode(ch.alloc(), ControlFrames.hello("", 0, ChannelKind.CHANNEL_ADMIN, 0)));
      }
    });
    connecting = c;
    return c;
  }

  /** Completes off the event loop: continuations may block or make further admin calls. */
  private void fail(CompletableFuture<AdminFrames.Reply> f, Throwable e) {
    completions.execute(() -> f.completeExceptionally(e));
  }

  private String who() {
    return "node at " + address.getHostString() + ":" + address.getPort();
  }

  /** Reads the handshake answer, then responses; fails every pending call when the connection ends. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    /** Calls in flight on this connection, by request id. */
    final Map<Long, CompletableFuture<AdminFrames.Reply>> pending = new ConcurrentHashMap<>();
    /** Why the connection ended, once it has; read and written on the event loop. */
    String ended;
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
          completions.execute(() -> f.complete(r.reply()));
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
            : "connection to " + who() + " failed: " + cause + (greeted ? "" : duringHandshakeHint());
      }
      ctx.close();
    }

    /**
     * A TLS node resets a plaintext client's connection (or a plaintext node a TLS client's) as
     * often as it closes it: either way, before the handshake answer, the likely cause is TLS.
     */
    private String duringHandshakeHint() {
      return " during the admin handshake" + (tls == null ? "; if it uses TLS, pass --tls-cert, --tls-key and --tls-trust"
          : "; it may not use TLS, or it does not trust this client's certificate");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      String why = failure != null ? failure
          : greeted ? "connection to " + who() + " closed"
          : who() + " closed the connection during the admin handshake"
              + (tls == null ? "; if it uses TLS, pass --tls-cert, --tls-key and --tls-trust"
                  : "; it may not use TLS, or it does not trust this client's certificate");
      ended = why;
      Unreachable u = new Unreachable(why, null);
      for (CompletableFuture<AdminFrames.Reply> f : pending.values()) {
        fail(f, u);
      }
      super.channelInactive(ctx);
    }
  }

  @Override
  public synchronized void close() {
    if (connecting != null) {
      connecting.channel().close();
      connecting = null;
    }
  }
}
