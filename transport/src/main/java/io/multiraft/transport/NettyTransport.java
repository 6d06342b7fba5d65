package io.multiraft.transport;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.spi.Transport;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transport} between nodes over TCP (Netty). Per peer node one outbound connection
 * carries this node's messages of every group, batched into one frame per flush with heartbeats
 * coalesced; snapshots stream on connections of their own. Mutual TLS optional.
 *
 * <p>The listeners bind in the constructor ({@link #localAddress()} tells the port when 0 was
 * asked for); peers are dialed once the node {@link #register registers}.
 */
public final class NettyTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

  private final TransportContext t;
  private final SnapshotStore store;
  private final SnapshotSendLimit snapshotSends;
  /** Transfers in flight by (group, peer): a repeated send joins the one running. */
  private final ConcurrentHashMap<SnapshotTransfer.Key, SnapshotTransfer> transfers = new ConcurrentHashMap<>();
  private final Channel streamListener;
  private final Channel snapshotListener;
  private final ConcurrentHashMap<Long, PeerLink> links = new ConcurrentHashMap<>();
  private final Runnable faultListener = this::faultsChanged;
  private volatile boolean registered;

  public NettyTransport(TransportConfig cfg) {
    this.t = new TransportContext(cfg);
    this.snapshotSends = new SnapshotSendLimit(cfg.maxConcurrentSnapshotSends());
    Channel snapshot = null;
    SnapshotStore s = null;
    try {
      s = new SnapshotStore(cfg.nodeId(), cfg.snapshotDir(), cfg.maxConcurrentSnapshotReceives());
      snapshot = Listeners.snapshot(t, s);
      t.snapshotPort = ((InetSocketAddress) snapshot.localAddress()).getPort();
      this.streamListener = Listeners.stream(t);
    } catch (IOException | RuntimeException e) {
      if (snapshot != null) {
        snapshot.close().awaitUninterruptibly();
      }
      if (s != null) {
        s.close();
      }
      t.loops.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("node " + cfg.nodeId() + ": cannot use snapshot directory " + cfg.snapshotDir(), io);
      }
      throw (RuntimeException) e;
    }
    this.store = s;
    this.snapshotListener = snapshot;
    for (long peer : cfg.peers().keySet()) {
      links.put(peer, new PeerLink(t, peer));
    }
    t.faults.onChange(faultListener);
    LOG.info("node {}: listening on {} (snapshots on port {}), {}{}", cfg.nodeId(), localAddress(), t.snapshotPort,
        t.loops.epoll ? "epoll" : "nio", cfg.tls() != null ? ", mutual TLS" : ", plaintext");
  }

  /** The bound address of the message stream listener. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) streamListener.localAddress();
  }

  public int snapshotPort() {
    return t.snapshotPort;
  }

  /** Adds a peer node or changes its address (a changed address is used from the next connection). */
  public void addPeer(long nodeId, InetSocketAddress address) {
    if (nodeId == t.nodeId) {
      throw new IllegalArgumentException("node " + nodeId + " is this node");
    }
    t.peers.put(nodeId, address);
    PeerLink link = links.computeIfAbsent(nodeId, id -> new PeerLink(t, id));
    if (registered && !t.closed) {
      link.start();
    }
  }

  /** Forgets a peer: its connections close and messages to it are dropped. */
  public void removePeer(long nodeId) {
    t.peers.remove(nodeId);
    PeerLink link = links.remove(nodeId);
    if (link != null) {
      link.stop();
    }
    Channel in = t.inboundStreams.get(nodeId);
    if (in != null) {
      ChannelState.closeLocally(in);
    }
  }

  @Override
  public void register(long nodeId, Inbound inbound) {
    if (nodeId != t.nodeId) {
      throw new IllegalArgumentException("this transport is configured for node " + t.nodeId + ", not " + nodeId);
    }
    if (registered) {
      throw new IllegalStateException("node " + nodeId + " is already registered");
    }
    t.inbound = inbound;
    registered = true;
    for (PeerLink link : links.values()) {
      link.start();
    }
  }

  @Override
  public void send(long fromNode, long toNode, List<Message> messages) {
    if (fromNode != t.nodeId) {
      throw new IllegalArgumentException("this transport sends for node " + t.nodeId + ", not " + fromNode);
    }
    PeerLink link = links.get(toNode);
    if (link == null || t.closed) {
      dropAll(toNode, messages);
      return;
    }
    List<Message> stream = messages;
    List<Message> snapshots = null;
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).type == MessageType.SNAPSHOT) {
        if (snapshots == null) {
          snapshots = new ArrayList<>(1);
          stream = new ArrayList<>(messages.subList(0, i));
        }
        snapshots.add(messages.get(i));
      } else if (snapshots != null) {
        stream.add(messages.get(i));
      }
    }
    FaultInjector faults = t.faults;
    if (faults.active()) {
      if (faults.partitioned(fromNode, toNode)) {
        dropAll(toNode, messages);
        return;
      }
      stream = withoutDropped(faults, fromNode, toNode, stream);
      long delayNs = faults.delayNs(fromNode, toNode);
      if (delayNs > 0 && !stream.isEmpty()) {
        link.enqueueAfter(stream, delayNs);
        stream = List.of();
      }
    }
    if (!stream.isEmpty()) {
      link.enqueue(stream);
    }
    if (snapshots != null) {
      for (Message m : snapshots) {
        sendSnapshot(link, m);
      }
    }
  }

  private List<Message> withoutDropped(FaultInjector faults, long from, long to, List<Message> messages) {
    List<Message> kept = new ArrayList<>(messages.size());
    for (Message m : messages) {
      if (faults.shouldDrop(from, to)) {
        t.counters.messagesDropped.increment();
      } else {
        kept.add(m);
      }
    }
    return kept;
  }

  private void dropAll(long toNode, List<Message> messages) {
    for (Message m : messages) {
      if (m.type == MessageType.SNAPSHOT) {
        if (m.snapshot != null) {
          m.snapshot.payload().release();
        }
        t.reportSnapshot(m.groupId, toNode, false);
      } else {
        t.counters.messagesDropped.increment();
      }
    }
  }

  /** Starts a transfer, or fails at once (Raft retries later) if at the limit or the peer is down. */
  private void sendSnapshot(PeerLink link, Message m) {
    if (m.snapshot == null) {
      LOG.warn("node {}: SNAPSHOT message of group {} without a snapshot dropped", t.nodeId, m.groupId);
      t.reportSnapshot(m.groupId, link.peer, false);
      return;
    }
    SnapshotTransfer.Key key = new SnapshotTransfer.Key(m.groupId, link.peer);
    SnapshotTransfer running = transfers.get(key);
    if (running != null && running.join()) {
      // Raft sent again (a new term, a probe after an unreachable report) while the follower is
      // still receiving: the transfer in flight serves both; a second copy would only compete.
      m.snapshot.payload().release();
      t.counters.snapshotSendsJoined.increment();
      return;
    }
    if (!snapshotSends.tryAcquire()) {
      m.snapshot.payload().release();
      t.counters.snapshotSendsRejected.increment();
      t.reportSnapshot(m.groupId, link.peer, false);
      return;
    }
    t.counters.snapshotSends.increment();
    SnapshotTransfer transfer = new SnapshotTransfer(t, m, snapshotSends::release);
    transfers.put(key, transfer);
    transfer.onFinish(() -> transfers.remove(key, transfer));
    InetSocketAddress stream = link.connectedAddress();
    int port = link.snapshotPort();
    if (stream == null || port <= 0) {
      transfer.finish(false, "node " + link.peer + " is not connected");
      return;
    }
    transfer.start(new InetSocketAddress(stream.getAddress(), port));
  }

  private void faultsChanged() {
    for (PeerLink link : links.values()) {
      link.faultsChanged();
    }
    for (var e : t.inboundStreams.entrySet()) {
      if (t.faults.partitioned(e.getKey(), t.nodeId)) {
        ChannelState.closeLocally(e.getValue());
      }
    }
  }

  // ---------------------------------------------------------------- observation

  public TransportCounters counters() {
    return t.counters;
  }

  /** The last connections closed for bad input, each naming the peer's address and the reason. */
  public List<String> recentProtocolErrors() {
    return t.errors.recent();
  }

  /** Why the last snapshot sends that failed did so. */
  public List<String> recentSnapshotFailures() {
    return t.snapshotFailures.list();
  }

  /** Whether the outbound message stream to {@code peer} is connected and past its handshake. */
  public boolean isConnected(long peer) {
    PeerLink link = links.get(peer);
    return link != null && link.isUp();
  }

  public boolean usesEpoll() {
    return t.loops.epoll;
  }

  /** Where received snapshots are stored. */
  public Path snapshotDir() {
    return store.dir;
  }

  public long nodeId() {
    return t.nodeId;
  }

  @Override
  public void groupRemoved(long groupId) {
    for (SnapshotTransfer tr : transfers.values()) {
      if (tr.groupId() == groupId) {
        tr.finish(false, "group " + groupId + " was removed from this node");
      }
    }
  }

  /** Snapshot transfers in flight (tests: none may be left behind). */
  public int snapshotTransfersInFlight() {
    return transfers.size();
  }

  @Override
  public void close() {
    if (t.closed) {
      return;
    }
    t.closed = true;
    for (SnapshotTransfer tr : transfers.values()) {
      tr.finish(false, "transport closing");
    }
    t.faults.removeListener(faultListener);
    for (PeerLink link : links.values()) {
      link.stop();
    }
    streamListener.close().awaitUninterruptibly();
    snapshotListener.close().awaitUninterruptibly();
    for (Channel ch : t.inboundStreams.values()) {
      ch.close();
    }
    t.loops.close();
    store.close();
    t.inbound = null;
  }
}
