package io.multiraft.rangestore.snap;

import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.RangeStoreConfig;
import io.multiraft.rangestore.api.RangeStoreNode;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.ReplicaDescriptor;
import io.multiraft.transport.FaultInjector;
import io.multiraft.transport.NettyTransport;
import io.multiraft.transport.TransportConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Range store nodes in one process, each with its own RocksDB and its own Netty transport on
 * loopback (so snapshots really stream through the snapshot channel), sharing one fault injector.
 * The first range lives on node 1 only, so adding a replica elsewhere needs a snapshot.
 */
final class NettyRangeCluster implements AutoCloseable {
  static final long RANGE = 1;

  final FaultInjector faults = new FaultInjector(1);
  final Map<Long, NettyTransport> transports = new TreeMap<>();
  final Map<Long, RangeStore> nodes = new ConcurrentHashMap<>();

  NettyRangeCluster(Path root, int n) {
    for (long id = 1; id <= n; id++) {
      TransportConfig cfg = TransportConfig.builder(id, "snap-test", new InetSocketAddress("127.0.0.1", 0))
          .snapshotDir(root.resolve("n" + id).resolve("snapshots-in"))
          .faults(faults)
          .build();
      transports.put(id, new NettyTransport(cfg));
    }
    for (var a : transports.entrySet()) {
      for (var b : transports.entrySet()) {
        if (!a.getKey().equals(b.getKey())) {
          a.getValue().addPeer(b.getKey(), b.getValue().localAddress());
        }
      }
    }
    for (long id = 1; id <= n; id++) {
      // Frequent snapshots and a short margin: the log is compacted, so a new replica needs a snapshot.
      RangeStoreConfig cfg = RangeStoreConfig.builder(id, root.resolve("n" + id))
          .raftWorkers(1)
          .tickIntervalMs(20)
          .snapshotEveryEntries(8)
          .compactionMarginEntries(2)
          .build();
      nodes.put(id, RangeStoreNode.open(cfg, transports.get(id)));
    }
    RangeDescriptor first = new RangeDescriptor(RANGE, Keys.MIN, null,
        List.of(new ReplicaDescriptor(1, ReplicaDescriptor.Role.VOTER)), 0);
    nodes.get(1L).bootstrapRange(first).orTimeout(30, TimeUnit.SECONDS).join();
  }

  RangeStore node(long id) {
    return nodes.get(id);
  }

  NettyTransport transport(long id) {
    return transports.get(id);
  }

  @Override
  public void close() {
    for (RangeStore s : nodes.values()) {
      s.close();
    }
    for (NettyTransport t : transports.values()) {
      t.close();
    }
  }
}
