package io.multiraft.bench;

import io.multiraft.bench.xjvm.NullStateMachine;
import io.multiraft.node.LoopbackTransport;
import io.multiraft.node.MemoryLogStore;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.NodeConfig;
import io.multiraft.spi.Clock;
import io.multiraft.spi.LogStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/** N nodes in this process over a loopback transport, each with its own log store. */
final class InProcessCluster implements AutoCloseable {
  final LoopbackTransport transport = new LoopbackTransport();
  final List<MultiRaftNode> nodes = new ArrayList<>();
  final List<LogStore> stores = new ArrayList<>();

  InProcessCluster(int n, int workersPerNode, LongFunction<LogStore> storeFactory) {
    for (long id = 1; id <= n; id++) {
      LogStore store = storeFactory.apply(id);
      stores.add(store);
      NodeConfig cfg = NodeExperiments.apply(NodeConfig.builder(id).workers(workersPerNode).seed(id)).build();
      nodes.add(new MultiRaftNode(cfg, store, transport, g -> new NullStateMachine(), Clock.SYSTEM));
    }
  }

  static LongFunction<LogStore> stores(String kind, Path dir) {
    if ("memory".equals(kind)) {
      return id -> new MemoryLogStore();
    }
    if ("rocks".equals(kind)) {
      return id -> io.multiraft.rangestore.log.RocksLogStore.open(dir.resolve("node-" + id));
    }
    throw new IllegalArgumentException("unknown store '" + kind + "' (memory, rocks)");
  }

  Set<Long> voters() {
    Set<Long> v = new HashSet<>();
    for (MultiRaftNode n : nodes) {
      v.add(n.nodeId());
    }
    return v;
  }

  /** Creates groups 1..count on every node, in chunks so the queues are not flooded. */
  void createGroups(int count) {
    Set<Long> voters = voters();
    int chunk = 2_000;
    for (int from = 1; from <= count; from += chunk) {
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (long g = from; g < Math.min(count + 1, from + chunk); g++) {
        for (MultiRaftNode n : nodes) {
          fs.add(n.createGroup(g, voters));
        }
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(120, TimeUnit.SECONDS).join();
    }
  }

  int leaders() {
    int n = 0;
    for (MultiRaftNode node : nodes) {
      n += node.leaderCount();
    }
    return n;
  }

  int active() {
    int n = 0;
    for (MultiRaftNode node : nodes) {
      n += node.activeGroups();
    }
    return n;
  }

  long syncs() {
    long n = 0;
    for (MultiRaftNode node : nodes) {
      n += node.logSyncs();
    }
    return n;
  }

  long loggedEntries() {
    long n = 0;
    for (MultiRaftNode node : nodes) {
      n += node.logEntries();
    }
    return n;
  }

  @Override
  public void close() {
    for (MultiRaftNode n : nodes) {
      n.close();
    }
    for (LogStore s : stores) {
      s.close();
    }
  }
}
