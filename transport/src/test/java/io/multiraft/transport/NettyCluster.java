package io.multiraft.transport;

import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import io.multiraft.node.MemoryLogStore;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.NodeConfig;
import io.multiraft.spi.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Real MultiRaftNodes, each with a MemoryLogStore, talking over NettyTransports on loopback. */
final class NettyCluster implements AutoCloseable {
  final TransportCluster net;
  final TreeMap<Long, MultiRaftNode> nodes = new TreeMap<>();
  final Map<Long, Map<Long, HashingStateMachine>> machines = new ConcurrentHashMap<>();

  NettyCluster(int n, long tickNs, UnaryOperator<NodeConfig.Builder> nodeTweak) {
    net = new TransportCluster(n, false, b -> b);
    for (long id = 1; id <= n; id++) {
      Map<Long, HashingStateMachine> sms = new ConcurrentHashMap<>();
      machines.put(id, sms);
      NodeConfig cfg = nodeTweak.apply(NodeConfig.builder(id).workers(2).tickIntervalNs(tickNs).seed(id)).build();
      nodes.put(id, new MultiRaftNode(cfg, new MemoryLogStore(), net.get(id), g -> {
        HashingStateMachine sm = new HashingStateMachine();
        sms.put(g, sm);
        return sm;
      }, Clock.SYSTEM));
    }
  }

  MultiRaftNode node(long id) {
    return nodes.get(id);
  }

  NettyTransport transport(long id) {
    return net.get(id);
  }

  void createGroups(int groups) {
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    Set<Long> voters = nodes.keySet();
    for (long g = 1; g <= groups; g++) {
      for (MultiRaftNode n : nodes.values()) {
        fs.add(n.createGroup(g, voters));
      }
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();
  }

  /** Leader of every group as one node sees it (0 where none). */
  Map<Long, Long> leaders(long viewer, int groups) {
    List<CompletableFuture<GroupStatus>> fs = new ArrayList<>();
    for (long g = 1; g <= groups; g++) {
      fs.add(nodes.get(viewer).status(g));
    }
    Map<Long, Long> out = new HashMap<>();
    for (CompletableFuture<GroupStatus> f : fs) {
      GroupStatus s = f.orTimeout(10, TimeUnit.SECONDS).join();
      out.put(s.groupId(), s.role() == Role.LEADER || s.leader() != 0 ? s.leader() : 0L);
    }
    return out;
  }

  /** Every node agrees on a live leader for every group. */
  boolean allLed(int groups) {
    Map<Long, Long> first = null;
    for (long id : nodes.keySet()) {
      Map<Long, Long> l = leaders(id, groups);
      if (l.containsValue(0L) || !nodes.keySet().containsAll(l.values())) {
        return false;
      }
      if (first != null && !first.equals(l)) {
        return false;
      }
      first = l;
    }
    return true;
  }

  boolean allApplied(int groups, long count) {
    for (long id : nodes.keySet()) {
      for (long g = 1; g <= groups; g++) {
        HashingStateMachine sm = machines.get(id).get(g);
        if (sm == null || sm.count < count) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void close() {
    for (MultiRaftNode n : nodes.values()) {
      n.close();
    }
    net.close();
  }
}
