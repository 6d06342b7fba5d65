package io.multiraft.transport;

import io.multiraft.spi.SnapshotReader;
import io.multiraft.spi.SnapshotStreams;
import io.multiraft.core.Message;
import io.multiraft.core.SnapshotData;
import io.multiraft.transport.proto.ChannelKind;
import io.multiraft.transport.proto.SnapshotAck;
import io.multiraft.transport.wire.ChunkFrames;
import io.multiraft.transport.wire.ControlFrames;
import io.multiraft.transport.wire.FrameKind;
import io.multiraft.transport.wire.ProtocolException;
import io.multiraft.transport.wire.SnapshotFrames;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one snapshot to one peer on a connection of its own (lesson 23): begin, chunks while the
 * connection accepts writes (the peer's disk and TCP set the pace), end with a checksum, then wait
 * for the receiver's acknowledgement. The outcome is reported to the local node exactly once per
 * send (lesson 8): success only when the receiver says it stored and handed over the snapshot;
 * anything else - no connection, a cut, no progress for the idle timeout, no answer in the ack
 * timeout - is a failure, and Raft sends again later.
 *
 * <p>Memory stays bounded whatever the snapshot's size: chunks are read from the payload on the
 * transport's snapshot read thread one at a time, and only while the connection is writable, so
 * at most the write-buffer high mark plus one chunk is held. Each chunk carries its CRC32C. The
 * send owns one reference to the payload and gives it back when the transfer ends.
 */
final class SnapshotTransfer extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotTransfer.class);
  private static final AtomicLong TRANSFER_IDS = new AtomicLong();

  private final TransportContext t;
  private final Message message;
  private final long peer;
  private final long transferId = TRANSFER_IDS.incrementAndGet();
  private final SnapshotData payload;
  private final Runnable release;
  private final long cutAfterBytes;
  private final boolean corruptFirstChunk;
  private final AtomicBoolean finished = new AtomicBoolean();
  /** Other sends of the same snapshot to the same peer that joined this transfer; guarded by this. */
  private int joined;
  private volatile Channel channel;
  private volatile ScheduledFuture<?> ackTimeout;
  private volatile Runnable onFinish = () -> { };

  // read thread only
  private SnapshotReader reader;
  private final CRC32C chunkCrc = new CRC32C();
  private final CRC32C crc = new CRC32C();
  private boolean readerClosed;
  /** The rest of a payload chunk larger than a wire chunk; valid until the reader's next call. */
  private ByteBuffer rest;

  // event loop only
  private boolean reading;
  private long offset;
  private boolean endWritten;

  SnapshotTransfer(TransportContext t, Message message, Runnable release) {
    this.t = t;
    this.message = message;
    this.peer = message.to;
    this.payload = message.snapshot.payload();
    this.release = release;
    this.cutAfterBytes = t.faults.takeSnapshotCut(t.nodeId, peer);
    this.corruptFirstChunk = t.faults.takeSnapshotCorruption(t.nodeId, peer);
  }

  /** A transfer's identity for joining: one snapshot of a group to one peer at a time. */
  record Key(long groupId, long peer) {}

  long groupId() {
    return message.groupId;
  }

  long peer() {
    return peer;
  }

  /** Runs once the outcome is known (the transport forgets the transfer). */
  void onFinish(Runnable r) {
    onFinish = r;
  }

  /**
   * Another send of this group's snapshot to the same peer rides on this transfer: its outcome is
   * this one's. False if this transfer already ended (the caller starts a new one).
   */
  synchronized boolean join() {
    if (finished.get()) {
      return false;
    }
    joined++;
    return true;
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
    ctx.writeAndFlush(begin, ctx.voidPromise());
    pump(ctx);
  }

  /** Asks the read thread for the next chunk if the connection can take it and none is being read. */
  private void pump(ChannelHandlerContext ctx) {
    if (finished.get() || reading || endWritten || !ctx.channel().isWritable()) {
      return;
    }
    reading = true;
    try {
      t.loops.snapshotReads.execute(() -> readNext(ctx));
    } catch (RejectedExecutionException e) {
      finish(false, "transport closing");
    }
  }

  /** On the read thread: one chunk into a pooled buffer, handed to the event loop. */
  private void readNext(ChannelHandlerContext ctx) {
    ByteBuf buf = null;
    int chunkSum = 0;
    try {
      if (finished.get() || readerClosed) {
        return;
      }
      if (reader == null) {
        reader = SnapshotStreams.open(payload);
      }
      ByteBuffer c = rest;
      if (c == null) {
        do {
          c = reader.next();
        } while (c != null && !c.hasRemaining());
      }
      if (c != null) {
        // The payload's chunks may be larger than the peer's frames allow: cut them to size.
        int n = Math.min(c.remaining(), t.cfg.snapshotChunkBytes());
        ByteBuffer whole = c;
        c = whole.duplicate();
        c.limit(c.position() + n);
        whole.position(whole.position() + n);
        rest = whole.hasRemaining() ? whole : null;
        chunkCrc.reset();
        chunkCrc.update(c.duplicate());
        crc.update(c.duplicate());
        chunkSum = (int) chunkCrc.getValue();
        buf = ctx.alloc().ioBuffer(c.remaining());
        buf.writeBytes(c);
      }
    } catch (Exception e) {
      if (buf != null) {
        buf.release();
      }
      ctx.executor().execute(() -> finish(false, "reading the snapshot failed: " + e));
      return;
    }
    ByteBuf chunk = buf;
    int sum = chunkSum;
    ctx.executor().execute(() -> onChunkRead(ctx, chunk, sum));
  }

  private void onChunkRead(ChannelHandlerContext ctx, ByteBuf chunk, int chunkSum) {
    reading = false;
    if (finished.get()) {
      if (chunk != null) {
        chunk.release();
      }
      return;
    }
    if (chunk == null) {
      writeEnd(ctx);
      return;
    }
    int n = chunk.readableBytes();
    if (corruptFirstChunk && offset == 0) {
      chunk.setByte(chunk.readerIndex() + n / 2, chunk.getByte(chunk.readerIndex() + n / 2) ^ 0x5A);
      LOG.info("node {}: fault injection corrupts the first snapshot chunk of group {} to node {}", t.nodeId,
          message.groupId, peer);
    }
    ByteBuf header = ChunkFrames.header(ctx.alloc(), transferId, offset, n, chunkSum);
    t.counters.bytesSent.add(header.readableBytes() + n);
    t.counters.snapshotBytesSent.add(n);
    ctx.write(header, ctx.voidPromise());
    ctx.write(chunk, ctx.voidPromise());
    offset += n;
    ctx.flush();
    if (cutAfterBytes >= 0 && offset >= cutAfterBytes) {
      LOG.info("node {}: fault injection cuts the snapshot of group {} to node {} after {} bytes", t.nodeId,
          message.groupId, peer, offset);
      ChannelState.closeLocally(ctx.channel());
      return;
    }
    pump(ctx);
  }

  private void writeEnd(ChannelHandlerContext ctx) {
    endWritten = true;
    ByteBuf end = ControlFrames.encode(ctx.alloc(), SnapshotFrames.end(transferId, (int) crc.getValue(), offset));
    t.counters.bytesSent.add(end.readableBytes());
    ctx.writeAndFlush(end, ctx.voidPromise());
    // the receiver now syncs and installs; that has its own, longer, timeout
    if (ctx.pipeline().get("idle") != null) {
      ctx.pipeline().remove("idle");
    }
    ackTimeout = ctx.executor().schedule(
        () -> finish(false, "no acknowledgement within " + t.cfg.snapshotAckTimeoutMs() + " ms"),
        t.cfg.snapshotAckTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    pump(ctx);
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

  /** Reports the outcome once per send, frees the send slot and the payload, closes the connection. */
  void finish(boolean ok, String why) {
    int sends;
    synchronized (this) {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      sends = 1 + joined;
    }
    onFinish.run();
    release.run();
    ScheduledFuture<?> timer = ackTimeout;
    if (timer != null) {
      timer.cancel(false);
    }
    closeReader();
    if (ok) {
      t.counters.snapshotSendsSucceeded.increment();
      LOG.debug("node {}: snapshot of group {} ({} bytes) installed on node {}", t.nodeId, message.groupId, offset, peer);
    } else {
      t.counters.snapshotSendsFailed.increment();
      t.snapshotFailures.add("snapshot of group " + message.groupId + " to node " + peer + ": " + why);
      LOG.info("node {}: snapshot of group {} to node {} failed: {}", t.nodeId, message.groupId, peer, why);
    }
    for (int i = 0; i < sends; i++) {
      t.reportSnapshot(message.groupId, peer, ok);
    }
    Channel ch = channel;
    if (ch != null) {
      ChannelState.closeLocally(ch);
    }
  }

  /** The reader belongs to the read thread: it is closed there, after any read in progress. */
  private void closeReader() {
    Runnable close = () -> {
      readerClosed = true;
      try {
        if (reader != null) {
          reader.close();
        }
      } finally {
        payload.release();
      }
    };
    try {
      t.loops.snapshotReads.execute(close);
    } catch (RejectedExecutionException e) {
      close.run(); // the read thread has stopped: no read is in progress
    }
  }
}
