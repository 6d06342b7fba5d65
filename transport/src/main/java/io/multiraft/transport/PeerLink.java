package io.multiraft.transport;

import io.multiraft.core.Entry;
import io.multiraft.core.Message;
import io.multiraft.transport.proto.ChannelKind;
import io.multiraft.transport.proto.Hello;
import io.multiraft.transport.wire.BatchEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message stream to one peer node: a connection this node dials and keeps up (reconnecting
 * with backoff), and a queue that raft workers fill from any thread and the connection's event loop
 * drains into one frame per flush. Everything but {@link #enqueue} runs on that one event loop.
 *
 * <p>Messages sent while the link is down are dropped (Raft resends what matters); the node is
 * told when the peer becomes unreachable and reachable again, once per change.
 */
final class PeerLink {
  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
  /** Rough per-message overhead when bounding the queue by bytes. */
  private static final int MESSAGE_OVERHEAD_BYTES = 48;

  private enum Reachability { UNKNOWN, UP, DOWN }

  private record Pending(List<Message> messages, long bytes) {}

  final long peer;
  private final TransportContext t;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final MpscArrayQueue<Pending> queue;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final BatchEncoder encoder;
  private final Backoff backoff;

  // event-loop confined
  private Channel channel; // connecting or connected; null while waiting to reconnect
  private boolean established;
  private Reachability reachability = Reachability.UNKNOWN;
  private ScheduledFuture<?> reconnect;
  private boolean stopped;

  // read from any thread
  private volatile boolean up;
  private volatile int snapshotPort;
  private volatile InetSocketAddress connectedAddress;

  PeerLink(TransportContext t, long peer) {
    this.t = t;
    this.peer = peer;
    this.loop = t.loops.stream.next();
    this.queue = new MpscArrayQueue<>(t.cfg.sendQueueCapacity());
    this.encoder = new BatchEncoder(t.cfg.maxFrameBytes());
    this.backoff = new Backoff(t.cfg.reconnectBackoffMinMs(), t.cfg.reconnectBackoffMaxMs(), t.nodeId * 1_000_003L + peer);
    int batch = t.cfg.maxBatchBytes();
    this.bootstrap = new Bootstrap()
        .group(loop)
        .channel(t.loops.socketChannel)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, t.cfg.connectTimeoutMs()))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(batch, 4 * batch))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            SslHandler ssl = t.newSslHandler(ch, false);
            if (ssl != null) {
              ch.pipeline().addLast("ssl", ssl);
            }
            ch.pipeline().addLast("frames", new FrameDecoder(t.errors, t.counters));
            ch.pipeline().addLast("handshake",
                new HandshakeInitiator(t, ChannelKind.CHANNEL_STREAM, peer, PeerLink.this::established));
          }
        });
  }

  void start() {
    loop.execute(this::connect);
  }

  /** Stops for good (peer removed or transport closed). */
  void stop() {
    loop.execute(() -> {
      stopped = true;
      up = false;
      if (reconnect != null) {
        reconnect.cancel(false);
      }
      if (channel != null) {
        ChannelState.closeLocally(channel);
      }
      discardQueue();
    });
  }

  boolean isUp() {
    return up;
  }

  /** The peer's snapshot listener port, learned in the handshake; 0 while not connected. */
  int snapshotPort() {
    return up ? snapshotPort : 0;
  }

  /** The address the current connection reached, or null. */
  InetSocketAddress connectedAddress() {
    return up ? connectedAddress : null;
  }

  // ---------------------------------------------------------------- sending (any thread)

  /** Queues one send's messages. Never blocks: drops and counts when down or full. */
  void enqueue(List<Message> messages) {
    if (!up) {
      t.counters.messagesDropped.add(messages.size());
      return;
    }
    long bytes = estimateBytes(messages);
    if (queuedBytes.addAndGet(bytes) > t.cfg.maxQueuedBytesPerPeer() || !queue.offer(new Pending(messages, bytes))) {
      queuedBytes.addAndGet(-bytes);
      t.counters.messagesDropped.add(messages.size());
      return;
    }
    if (drainScheduled.compareAndSet(false, true)) {
      loop.execute(this::drain);
    }
  }

  /** Queues after a delay (fault injection). */
  void enqueueAfter(List<Message> messages, long delayNs) {
    loop.schedule(() -> enqueue(messages), delayNs, TimeUnit.NANOSECONDS);
  }

  private static long estimateBytes(List<Message> messages) {
    long bytes = 0;
    for (int i = 0; i < messages.size(); i++) {
      bytes += MESSAGE_OVERHEAD_BYTES + Entry.payloadBytes(messages.get(i).entries);
    }
    return bytes;
  }

  // ---------------------------------------------------------------- draining (event loop)

  /** Moves queued messages into frames while the connection accepts writes; one flush at the end. */
  void drain() {
    drainScheduled.set(false);
    Channel ch = channel;
    if (!established || ch == null) {
      discardQueue();
      return;
    }
    int frames = 0;
    Pending p;
    while (ch.isWritable() && (p = queue.poll()) != null) {
      queuedBytes.addAndGet(-p.bytes);
      List<Message> messages = p.messages;
      for (int i = 0; i < messages.size(); i++) {
        Message m = messages.get(i);
        if (!encoder.add(m)) {
          if (!encoder.isEmpty()) {
            writeFrame(ch);
            frames++;
          }
          if (!encoder.add(m)) {
            tooLarge(m);
            continue;
          }
        }
        if (encoder.encodedBytes() >= t.cfg.maxBatchBytes()) {
          writeFrame(ch);
          frames++;
        }
      }
    }
    if (!encoder.isEmpty()) {
      writeFrame(ch);
      frames++;
    }
    if (frames > 0) {
      ch.flush();
    }
  }

  private void writeFrame(Channel ch) {
    int entries = encoder.entries();
    int merged = encoder.merged();
    int heartbeats = encoder.heartbeatEntries();
    ByteBuf frame = encoder.encode(ch.alloc());
    t.counters.framesSent.increment();
    t.counters.messagesSent.add(entries + merged);
    t.counters.heartbeatEntriesSent.add(heartbeats);
    t.counters.heartbeatsMerged.add(merged);
    t.counters.bytesSent.add(frame.readableBytes());
    ch.write(frame, ch.voidPromise());
  }

  private void tooLarge(Message m) {
    t.counters.messagesDropped.increment();
    LOG.warn("node {}: dropping a {} message of group {} to node {}: larger than the maximum frame of {} bytes"
        + " (lower the raft maximum message size)", t.nodeId, m.type, m.groupId, peer, t.cfg.maxFrameBytes());
  }

  private void discardQueue() {
    Pending p;
    while ((p = queue.poll()) != null) {
      queuedBytes.addAndGet(-p.bytes);
      t.counters.messagesDropped.add(p.messages.size());
    }
    encoder.reset();
  }

  // ---------------------------------------------------------------- connection (event loop)

  private void connect() {
    reconnect = null;
    if (stopped || t.closed) {
      return;
    }
    InetSocketAddress address = t.peers.get(peer);
    if (address == null) {
      return;
    }
    if (t.faults.partitioned(t.nodeId, peer)) {
      lost(null, "partitioned by fault injection");
      return;
    }
    ChannelFuture f = bootstrap.connect(address);
    Channel ch = f.channel();
    channel = ch;
    f.addListener(r -> {
      if (!r.isSuccess()) {
        lost(ch, "cannot connect to " + address + ": " + r.cause().getMessage());
      }
    });
    ch.closeFuture().addListener(r -> lost(ch, "connection to " + address + " closed"));
  }

  private ChannelHandler established(Channel ch, Hello reply) {
    if (ch != channel || stopped) {
      ChannelState.closeLocally(ch);
      return new StreamClientHandler(t, this);
    }
    established = true;
    snapshotPort = reply.getSnapshotPort();
    connectedAddress = (InetSocketAddress) ch.remoteAddress();
    backoff.reset();
    t.counters.connectionsOpened.increment();
    up = true;
    ch.pipeline().addBefore("handshake", "keepalive",
        new IdleStateHandler(t.cfg.keepaliveIntervalMs(), 0, 0, TimeUnit.MILLISECONDS));
    if (reachability != Reachability.UP) {
      reachability = Reachability.UP;
      LOG.info("node {}: connected to node {} at {}", t.nodeId, peer, ch.remoteAddress());
      t.reportReachable(peer, true);
    }
    loop.execute(this::drain);
    return new StreamClientHandler(t, this);
  }

  private void lost(Channel ch, String why) {
    if (ch != null && ch != channel) {
      return; // an older connection's late event
    }
    channel = null;
    established = false;
    up = false;
    discardQueue();
    if (stopped || t.closed) {
      return;
    }
    if (reachability != Reachability.DOWN) {
      reachability = Reachability.DOWN;
      LOG.info("node {}: node {} unreachable: {}", t.nodeId, peer, why);
      t.reportReachable(peer, false);
    } else {
      LOG.debug("node {}: node {} still unreachable: {}", t.nodeId, peer, why);
    }
    t.counters.reconnects.increment();
    reconnect = loop.schedule(this::connect, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
  }

  /** Fault rules changed: a new partition cuts the live connection. */
  void faultsChanged() {
    loop.execute(() -> {
      if (channel != null && t.faults.partitioned(t.nodeId, peer)) {
        ChannelState.closeLocally(channel);
      }
    });
  }
}
