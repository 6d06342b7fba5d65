package io.multiraft.transport;

import io.multiraft.core.Message;
import io.multiraft.core.SnapshotData;
import io.multiraft.spi.SnapshotSink;
import io.multiraft.spi.Transport;
import java.util.zip.CRC32C;
import io.multiraft.transport.proto.SnapshotBegin;
import io.multiraft.transport.proto.SnapshotEnd;
import io.multiraft.transport.wire.ChunkFrames;
import io.multiraft.transport.wire.ControlFrames;
import io.multiraft.transport.wire.FrameKind;
import io.multiraft.transport.wire.ProtocolException;
import io.multiraft.transport.wire.SnapshotFrames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one snapshot on a snapshot connection (lessons 12, 23): each chunk is checked against its
 * CRC32C (a mismatch refuses the transfer and closes the connection; nothing is applied), then goes
 * on the store's I/O thread to the node's {@link SnapshotSink} if it has one (staged files, any
 * size) or else to a temporary file, while reading pauses if the disk falls behind. At the end the
 * staged data is made durable, the SNAPSHOT message is rebuilt with it and handed to the node, and
 * only then is the sender told it succeeded.
 */
final class SnapshotReceiver extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);
  /** Chunks handed to the I/O thread and not yet written before reading pauses. */
  private static final int MAX_CHUNKS_IN_FLIGHT = 4;

  private enum State { BEGIN, DATA, FINISHING, DONE }

  private final TransportContext t;
  private final SnapshotStore store;
  private final long peer;
  private State state = State.BEGIN;
  private SnapshotBegin begin;
  private SnapshotStaging file;
  /** Whether the node stages snapshots itself (no size limit: nothing is assembled in memory). */
  private boolean toSink;
  private final CRC32C chunkCrc = new CRC32C();
  private boolean holdsSlot;
  private long received;
  private int inFlight;

  SnapshotReceiver(TransportContext t, SnapshotStore store, long peer) {
    this.t = t;
    this.store = store;
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf body = (ByteBuf) msg;
    try {
      int kind = FrameKind.of(body);
      switch (state) {
        case BEGIN -> onBegin(ctx, ControlFrames.decode(body, FrameKind.SNAPSHOT_BEGIN).getSnapshotBegin());
        case DATA -> {
          if (kind == FrameKind.SNAPSHOT_CHUNK) {
            onChunk(ctx, ChunkFrames.decode(body));
          } else {
            onEnd(ctx, ControlFrames.decode(body, FrameKind.SNAPSHOT_END).getSnapshotEnd());
          }
        }
        case FINISHING -> throw new ProtocolException("unexpected " + FrameKind.name(kind) + " frame after the snapshot ended");
        default -> { } // the transfer already failed and was answered; frames still in flight are dropped
      }
    } catch (ProtocolException e) {
      state = State.DONE;
      abort();
      t.errors.report(ctx.channel(), "snapshot transfer: " + e.getMessage());
    } finally {
      body.release();
    }
  }

  private void onBegin(ChannelHandlerContext ctx, SnapshotBegin b) throws ProtocolException {
    SnapshotFrames.validate(b, t.cfg.maxSnapshotBytes());
    begin = b;
    if (!store.tryAcquireReceive()) {
      state = State.DONE;
      ack(ctx.channel(), false, "receiver busy: at its limit of " + t.cfg.maxConcurrentSnapshotReceives()
          + " concurrent snapshot receives");
      return;
    }
    holdsSlot = true;
    state = State.DATA;
    Transport.Inbound in = t.inbound;
    SnapshotSink sink = in == null ? null : in.snapshotSink();
    toSink = sink != null;
    file = toSink ? new SinkStaging(sink, b.getMessage().getGroup(), SnapshotFrames.meta(b), peer)
        : new IncomingSnapshot(store, b.getMessage().getGroup());
    onIo(ctx.channel(), file::open);
  }

  private void onChunk(ChannelHandlerContext ctx, ChunkFrames.Chunk c) throws ProtocolException {
    ByteBuf data = c.data();
    int length = data.readableBytes();
    long announced = begin.getDataBytes();
    if (c.transferId() != begin.getTransferId() || c.offset() != received
        || (announced > 0 && received + length > announced)
        || (!toSink && received + length > t.cfg.maxSnapshotBytes())) {
      data.release();
      throw new ProtocolException("chunk of transfer " + c.transferId() + " at offset " + c.offset() + " (" + length
          + " bytes) does not continue transfer " + begin.getTransferId() + " at " + received + " of "
          + begin.getDataBytes() + " bytes");
    }
    chunkCrc.reset();
    chunkCrc.update(data.nioBuffer());
    if ((int) chunkCrc.getValue() != c.crc32c()) {
      data.release();
      t.counters.snapshotChunksCorrupt.increment();
      // Nothing of this transfer is applied: the staged part is dropped and the sender retries.
      throw new ProtocolException("chunk of transfer " + c.transferId() + " at offset " + c.offset() + " (" + length
          + " bytes) fails its CRC32C: " + Integer.toHexString((int) chunkCrc.getValue()) + " != "
          + Integer.toHexString(c.crc32c()));
    }
    received += length;
    t.counters.snapshotBytesReceived.add(length);
    Channel ch = ctx.channel();
    if (++inFlight >= MAX_CHUNKS_IN_FLIGHT) {
      ch.config().setAutoRead(false); // flow control: the disk sets the pace
    }
    SnapshotStaging f = file;
    if (!onIo(ch, () -> f.write(data), () -> {
      if (--inFlight < MAX_CHUNKS_IN_FLIGHT && state == State.DATA) {
        ch.config().setAutoRead(true);
      }
    })) {
      data.release();
    }
  }

  private void onEnd(ChannelHandlerContext ctx, SnapshotEnd end) throws ProtocolException {
    if (end.getTransferId() != begin.getTransferId() || received != end.getDataBytes()
        || (begin.getDataBytes() > 0 && received != begin.getDataBytes())) {
      throw new ProtocolException("snapshot end of transfer " + end.getTransferId() + " after " + received + " of "
          + end.getDataBytes() + " bytes");
    }
    state = State.FINISHING;
    Channel ch = ctx.channel();
    // from here on the time is ours (sync, read back), not the sender's: stop the idle timer
    ch.pipeline().remove(IdleStateHandler.class);
    ch.config().setAutoRead(true);
    SnapshotStaging f = file;
    SnapshotBegin b = begin;
    int crc = end.getCrc32C();
    onIo(ch, () -> {
      SnapshotData data = f.complete(crc);
      Message m = SnapshotFrames.message(b, peer, t.nodeId, data);
      t.counters.snapshotsReceived.increment();
      t.deliver(peer, List.of(m));
      ch.eventLoop().execute(() -> {
        state = State.DONE;
        releaseSlot();
        ack(ch, true, null);
      });
    });
  }

  private interface IoStep {
    void run() throws IOException;
  }

  private boolean onIo(Channel ch, IoStep step) {
    return onIo(ch, step, null);
  }

  /** Runs {@code step} on the I/O thread, then {@code after} on the event loop; a failure ends the transfer. */
  private boolean onIo(Channel ch, IoStep step, Runnable after) {
    try {
      store.io.execute(() -> {
        try {
          step.run();
          if (after != null) {
            ch.eventLoop().execute(after);
          }
        } catch (IOException | RuntimeException e) {
          ch.eventLoop().execute(() -> failed(ch, e));
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      failed(ch, new IOException("transport closing"));
      return false;
    }
  }

  private void failed(Channel ch, Exception e) {
    if (state == State.DONE) {
      return;
    }
    state = State.DONE;
    LOG.warn("node {}: cannot store snapshot of group {} from node {}: {}", t.nodeId, begin.getMessage().getGroup(),
        peer, e.getMessage());
    abort();
    ack(ch, false, "receiver could not store the snapshot: " + e.getMessage());
  }

  private void ack(Channel ch, boolean ok, String error) {
    if (ch.isActive()) {
      ByteBuf ack = ControlFrames.encode(ch.alloc(), ControlFrames.ack(begin.getTransferId(), ok, error));
      t.counters.bytesSent.add(ack.readableBytes());
      ch.writeAndFlush(ack);
    }
  }

  private void abort() {
    SnapshotStaging f = file;
    file = null;
    if (f != null) {
      try {
        store.io.execute(f::abort);
      } catch (RejectedExecutionException e) {
        // closing: leftover parts are removed on the next start
      }
    }
    releaseSlot();
  }

  private void releaseSlot() {
    if (holdsSlot) {
      holdsSlot = false;
      store.releaseReceive();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (state == State.DATA || state == State.BEGIN) {
      if (state == State.DATA) {
        LOG.info("node {}: snapshot of group {} from node {} cut off after {} of {} bytes", t.nodeId,
            begin.getMessage().getGroup(), peer, received, begin.getDataBytes());
      }
      state = State.DONE;
      abort();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      LOG.info("node {}: snapshot from node {} made no progress for {} ms, closing", t.nodeId, peer,
          t.cfg.snapshotIdleTimeoutMs());
      ChannelState.closeLocally(ctx.channel());
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("node {}: snapshot connection from node {} failed", t.nodeId, peer, cause);
    ChannelState.closeLocally(ctx.channel());
  }
}
