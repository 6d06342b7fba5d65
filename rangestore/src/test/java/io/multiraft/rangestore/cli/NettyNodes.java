package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.admin.AdminServer;
import io.multiraft.rangestore.api.RangeClient;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.RangeStoreConfig;
import io.multiraft.rangestore.api.RangeStoreNode;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.ReplicaDescriptor;
import io.multiraft.transport.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Range store nodes in this process over the Netty transport, each serving admin requests on its
 * listener, as a server does: the command line under test talks to them over real sockets.
 */
final class NettyNodes implements AutoCloseable {
  private final Map<Long, RangeStore> stores = new TreeMap<>();
  private final List<AdminServer> admins = new ArrayList<>();
  private final Map<Long, InetSocketAddress> addresses = new TreeMap<>();

  /** Starts nodes 1..n ({@code tls} gives each node's TLS or null) and the first range on 1..replicas. */
  NettyNodes(Path dir, int n, int replicas, LongFunction<TlsConfig> tls) throws IOException {
    int[] ports = LoopbackPorts.reserve(n);
    for (long id = 1; id <= n; id++) {
      addresses.put(id, new InetSocketAddress("127.0.0.1", ports[(int) id - 1]));
    }
    for (long id = 1; id <= n; id++) {
      RangeStoreConfig.Builder b = RangeStoreConfig.builder(id, dir.resolve("n" + id)).listenAddress(addresses.get(id))
          .raftWorkers(2).tickIntervalMs(20).tls(tls.apply(id));
      for (var e : addresses.entrySet()) {
        if (e.getKey() != id) {
          b.peer(e.getKey(), e.getValue());
        }
      }
      RangeStoreConfig cfg = b.build();
      RangeStore s = RangeStoreNode.open(cfg);
      stores.put(id, s);
      admins.add(new AdminServer(s, cfg.peers(), cfg.tls()));
    }
    List<ReplicaDescriptor> rs = new ArrayList<>();
    for (long id = 1; id <= replicas; id++) {
      rs.add(new ReplicaDescriptor(id, ReplicaDescriptor.Role.VOTER));
    }
    RangeDescriptor first = new RangeDescriptor(1, Keys.MIN, null, rs, 0);
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (long id = 1; id <= replicas; id++) {
      fs.add(stores.get(id).bootstrapRange(first));
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).join();
    // Ready when a write commits: a leader is elected and its links (TLS handshakes included, slow
    // on a loaded machine) are up, so the first command under test does not race the start-up.
    new RangeClient(stores, 30_000).put("ready".getBytes(StandardCharsets.UTF_8), new byte[] {1});
  }

  RangeStore node(long id) {
    return stores.get(id);
  }

  /** The other nodes' listener addresses, as node {@code id}'s configuration lists them. */
  Map<Long, InetSocketAddress> peersOf(long id) {
    Map<Long, InetSocketAddress> peers = new TreeMap<>(addresses);
    peers.remove(id);
    return peers;
  }

  /** HOST:PORT of a node's listener, for {@code --node}. */
  String address(long id) {
    return "127.0.0.1:" + addresses.get(id).getPort();
  }

  @Override
  public void close() {
    admins.forEach(AdminServer::close);
    stores.values().forEach(RangeStore::close);
  }
}
