package io.multiraft.transport;

import io.multiraft.core.Message;
import io.multiraft.transport.proto.ChannelKind;
import io.multiraft.transport.proto.SnapshotAck;
import io.multiraft.transport.wire.ChunkFrames;
import io.multiraft.transport.wire.ControlFrames;
import io.multiraft.transport.wire.FrameKind;
import io.multiraft.transport.wire.ProtocolException;
import io.multiraft.transport.wire.SnapshotFrames;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one snapshot to one peer on a connection of its own (lesson 23): begin, chunks while the
 * connection accepts writes (the peer's disk and TCP set the pace), end with a checksum, then wait
 * for the receiver's acknowledgement. The outcome is reported to the local node exactly once
 * (lesson 8): success only when the receiver says it stored and handed over the snapshot; anything
 * else - no connection, a cut, no progress for the idle timeout, no answer in the ack timeout - is
 * a failure, and Raft sends again later.
 *
 * <p>The snapshot's bytes are never copied: each chunk is a slice of the message's own array.
 */
final class SnapshotTransfer extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotTransfer.class);
  private static final AtomicLong TRANSFER_IDS = new AtomicLong();

  private final TransportContext t;
  private final Message message;
  private final long peer;
  private final long transferId = TRANSFER_IDS.incrementAndGet();
  private final byte[] data;
  private final Runnable release;
  private final long cutAfterBytes;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CRC32C crc = new CRC32C();
  private volatile Channel channel;
  private volatile ScheduledFuture<?> ackTimeout;
  private int offset;
  private boolean endWritten;

  SnapshotTransfer(TransportContext t, Message message, Runnable release) {
    this.t = t;
    this.message = message;
    this.peer = message.to;
    this.data = message.snapshot.data();
    this.release = release;
    this.cutAfterBytes = t.faults.takeSnapshotCut(t.nodeId, peer);
  }

  void start(InetSocketAddress address) {
    int chunk = t.cfg.snapshotChunkBytes();
    Bootstrap b = new Bootstrap()
        .group(t.loops.snapshot)
        .channel(t.loops.socketChannel)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, t.cfg.connectTimeoutMs()))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(chunk, 2 * chunk + 1))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            SslHandler ssl = t.newSslHandler(ch, false);
            if (ssl != null) {
              ch.pipeline().addLast("ssl", ssl);
            }
            ch.pipeline().addLast("frames", new FrameDecoder(t.errors, t.counters));
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, t.cfg.snapshotIdleTimeoutMs(), TimeUnit.MILLISECONDS));
            ch.pipeline().addLast("handshake",
                new HandshakeInitiator(t, ChannelKind.CHANNEL_SNAPSHOT, peer, (c, reply) -> SnapshotTransfer.this));
          }
        });
    ChannelFuture f = b.connect(address);
    channel = f.channel();
    f.addListener(r -> {
      if (!r.isSuccess()) {
        finish(false, "cannot connect to the snapshot listener at " + address + ": " + r.cause().getMessage());
      }
    });
    f.channel().closeFuture().addListener(r -> finish(false, "connection closed before the receiver acknowledged"));
  }

  /** Installed once the handshake is done: start streaming. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ByteBuf begin = ControlFrames.encode(ctx.alloc(), SnapshotFrames.begin(transferId, message));
    t.counters.bytesSent.add(begin.readableBytes());
    ctx.write(begin, ctx.voidPromise());
    writeChunks(ctx);
  }

  private void writeChunks(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    int chunk = t.cfg.snapshotChunkBytes();
    while (ch.isWritable() && offset < data.length && !finished.get()) {
      int n = Math.min(chunk, data.length - offset);
      ByteBuf header = ChunkFrames.header(ctx.alloc(), transferId, offset, n);
      crc.update(data, offset, n);
      t.counters.bytesSent.add(header.readableBytes() + n);
      t.counters.snapshotBytesSent.add(n);
      ctx.write(header, ctx.voidPromise());
      ctx.write(Unpooled.wrappedBuffer(data, offset, n), ctx.voidPromise());
      offset += n;
      if (cutAfterBytes >= 0 && offset >= cutAfterBytes) {
        ctx.flush();
        LOG.info("node {}: fault injection cuts the snapshot of group {} to node {} after {} bytes", t.nodeId,
            message.groupId, peer, offset);
        ChannelState.closeLocally(ch);
        return;
      }
    }
    if (offset == data.length && !endWritten) {
      endWritten = true;
      ByteBuf end = ControlFrames.encode(ctx.alloc(), SnapshotFrames.end(transferId, (int) crc.getValue()));
      t.counters.bytesSent.add(end.readableBytes());
      ctx.write(end, ctx.voidPromise());
      // the receiver now syncs and installs; that has its own, longer, timeout
      ctx.pipeline().remove("idle");
      ackTimeout = ctx.executor().schedule(
          () -> finish(false, "no acknowledgement within " + t.cfg.snapshotAckTimeoutMs() + " ms"),
          t.cfg.snapshotAckTimeoutMs(), TimeUnit.MILLISECONDS);
    }
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      writeChunks(ctx);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf body = (ByteBuf) msg;
    try {
      SnapshotAck ack = ControlFrames.decode(body, FrameKind.SNAPSHOT_ACK).getSnapshotAck();
      if (ack.getTransferId() != transferId) {
        throw new ProtocolException("acknowledgement of transfer " + ack.getTransferId() + ", expected " + transferId);
      }
      finish(ack.getOk(), ack.getOk() ? null : "receiver refused: " + ack.getError());
    } catch (ProtocolException e) {
      finish(false, e.getMessage());
      t.errors.report(ctx.channel(), "snapshot acknowledgement: " + e.getMessage());
    } finally {
      body.release();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.ALL_IDLE) {
      finish(false, "no progress for " + t.cfg.snapshotIdleTimeoutMs() + " ms");
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    finish(false, String.valueOf(cause.getMessage()));
  }

  /** Reports the outcome once, frees the send slot and closes the connection. */
  void finish(boolean ok, String why) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    release.run();
    ScheduledFuture<?> timer = ackTimeout;
    if (timer != null) {
      timer.cancel(false); // it would keep the snapshot's bytes reachable until it fired
    }
    if (ok) {
      t.counters.snapshotSendsSucceeded.increment();
      LOG.debug("node {}: snapshot of group {} ({} bytes) installed on node {}", t.nodeId, message.groupId, data.length, peer);
    } else {
      t.counters.snapshotSendsFailed.increment();
      t.snapshotFailures.add("snapshot of group " + message.groupId + " to node " + peer + ": " + why);
      LOG.info("node {}: snapshot of group {} to node {} failed: {}", t.nodeId, message.groupId, peer, why);
    }
    t.reportSnapshot(message.groupId, peer, ok);
    Channel ch = channel;
    if (ch != null) {
      ChannelState.closeLocally(ch);
    }
  }
}
