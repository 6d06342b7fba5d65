package io.multiraft.transport;

import io.multiraft.core.Message;
import io.multiraft.spi.Transport;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the handlers of one transport share: settings, counters, peers and the local node. */
final class TransportContext {
  private static final Logger LOG = LoggerFactory.getLogger(TransportContext.class);

  final TransportConfig cfg;
  final long nodeId;
  final TransportCounters counters = new TransportCounters();
  final ProtocolErrors errors;
  final EventLoops loops;
  final FaultInjector faults;
  final ConcurrentHashMap<Long, InetSocketAddress> peers = new ConcurrentHashMap<>();
  /** Accepted stream connections by peer: a second node claiming the same id is refused. */
  final ConcurrentHashMap<Long, Channel> inboundStreams = new ConcurrentHashMap<>();
  /** Why recent snapshot sends failed, for operators and tests. */
  final RecentLines snapshotFailures = new RecentLines(32);
  volatile Transport.Inbound inbound;
  /** Serves admin connections on the stream listener; null refuses them. */
  volatile AdminService admin;
  volatile int snapshotPort;
  volatile boolean closed;

  TransportContext(TransportConfig cfg) {
    this.cfg = cfg;
    this.nodeId = cfg.nodeId();
    this.errors = new ProtocolErrors(nodeId, counters);
    this.faults = cfg.faults();
    this.peers.putAll(cfg.peers());
    this.loops = new EventLoops(nodeId, cfg.ioThreads(), cfg.preferEpoll());
  }

  /** A TLS handler for a new connection, or null in plaintext. */
  SslHandler newSslHandler(Channel ch, boolean server) {
    TlsConfig tls = cfg.tls();
    if (tls == null) {
      return null;
    }
    return server ? tls.serverContext().newHandler(ch.alloc()) : tls.clientContext().newHandler(ch.alloc());
  }

  // The inbound callbacks never throw into the event loop: a bug there must not close connections.

  void deliver(long from, List<Message> messages) {
    Transport.Inbound in = inbound;
    if (in == null || closed) {
      return;
    }
    try {
      in.receive(from, messages);
    } catch (RuntimeException e) {
      LOG.error("node {}: inbound receive of {} messages from node {} failed", nodeId, messages.size(), from, e);
    }
  }

  void reportReachable(long peer, boolean reachable) {
    Transport.Inbound in = inbound;
    if (in == null || closed) {
      return;
    }
    try {
      if (reachable) {
        in.nodeReachable(peer);
      } else {
        in.nodeUnreachable(peer);
      }
    } catch (RuntimeException e) {
      LOG.error("node {}: reachability report for node {} failed", nodeId, peer, e);
    }
  }

  void reportSnapshot(long groupId, long toNode, boolean ok) {
    Transport.Inbound in = inbound;
    if (in == null) {
      return;
    }
    try {
      in.snapshotStatus(groupId, toNode, ok);
    } catch (RuntimeException e) {
      LOG.error("node {}: snapshot status report for group {} failed", nodeId, groupId, e);
    }
  }
}
