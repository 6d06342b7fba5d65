package io.multiraft.transport;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Several NettyTransports on 127.0.0.1 ephemeral ports that know each other, each registered with
 * a {@link RecordingInbound} (or left for a MultiRaftNode to register).
 */
final class TransportCluster implements AutoCloseable {
  static final String CLUSTER = "test-cluster";

  final TreeMap<Long, NettyTransport> transports = new TreeMap<>();
  final TreeMap<Long, RecordingInbound> inbounds = new TreeMap<>();
  final FaultInjector faults = new FaultInjector(42);

  /** Settings of one node of the cluster. */
  interface PerNode {
    TransportConfig.Builder tweak(long nodeId, TransportConfig.Builder b);
  }

  TransportCluster(int n, boolean register, UnaryOperator<TransportConfig.Builder> tweak) {
    this(n, register, (id, b) -> tweak.apply(b));
  }

  TransportCluster(int n, boolean register, PerNode tweak) {
    for (long id = 1; id <= n; id++) {
      TransportConfig.Builder b = TransportConfig.builder(id, CLUSTER, new InetSocketAddress("127.0.0.1", 0))
          .reconnectBackoffMs(10, 200)
          .faults(faults);
      transports.put(id, new NettyTransport(tweak.tweak(id, b).build()));
    }
    for (var a : transports.entrySet()) {
      for (var b : transports.entrySet()) {
        if (!a.getKey().equals(b.getKey())) {
          a.getValue().addPeer(b.getKey(), b.getValue().localAddress());
        }
      }
    }
    if (register) {
      for (var e : transports.entrySet()) {
        RecordingInbound in = new RecordingInbound();
        inbounds.put(e.getKey(), in);
        e.getValue().register(e.getKey(), in);
      }
    }
  }

  static TransportCluster of(int n) {
    return new TransportCluster(n, true, b -> b);
  }

  NettyTransport get(long id) {
    return transports.get(id);
  }

  RecordingInbound inbound(long id) {
    return inbounds.get(id);
  }

  Map<Long, InetSocketAddress> addresses() {
    Map<Long, InetSocketAddress> m = new TreeMap<>();
    transports.forEach((id, t) -> m.put(id, t.localAddress()));
    return m;
  }

  /** Waits until every transport's stream to every other is connected. */
  void awaitConnected(long timeoutMs) {
    Await.until("all links connected", () -> {
      for (var a : transports.entrySet()) {
        for (long b : transports.keySet()) {
          if (b != a.getKey() && !a.getValue().isConnected(b)) {
            return false;
          }
        }
      }
      return true;
    }, timeoutMs);
  }

  @Override
  public void close() {
    for (NettyTransport t : transports.values()) {
      t.close();
    }
  }
}
