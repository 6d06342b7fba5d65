package io.multiraft.bench.peer;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.util.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * N SOFAJRaft endpoints on loopback in this JVM, each with one RPC server shared by all its groups
 * ({@code RaftGroupService} with {@code sharedRpcServer = true}), and G groups with a replica on every
 * endpoint. Knows each group's leader for the load; not thread-safe while groups are being started.
 * There is no close: the child JVM halts when it has reported (see {@link Report}) and the driver
 * deletes the data.
 */
final class SofaCluster {
  final int nodes;
  final LongAdder applied = new LongAdder();
  private final Path dataDir;
  private final int electionTimeoutMs;
  private final boolean metrics;
  private final List<PeerId> peers = new ArrayList<>();
  private final List<RpcServer> servers = new ArrayList<>();
  private final Configuration conf = new Configuration();
  /** replicas.get(g)[i]: group g's replica on endpoint i. */
  private final List<RaftGroupService[]> replicas = new ArrayList<>();
  /** A cached leader per group, refreshed by {@link #refreshLeader} when a write fails. */
  private AtomicReferenceArray<Node> leaders;

  SofaCluster(int nodes, Path dataDir, int electionTimeoutMs, boolean metrics) throws IOException {
    this.nodes = nodes;
    this.dataDir = dataDir;
    this.electionTimeoutMs = electionTimeoutMs;
    this.metrics = metrics;
    for (int i = 0; i < nodes; i++) {
      PeerId peer = new PeerId(new Endpoint("127.0.0.1", freePort()), 0);
      peers.add(peer);
      conf.addPeer(peer);
    }
    for (PeerId peer : peers) {
      // one server per endpoint with the executor sizes RaftGroupService would give a lone group
      NodeOptions sizes = new NodeOptions();
      RpcServer server = RaftRpcServerFactory.createRaftRpcServer(peer.getEndpoint(),
          JRaftUtils.createExecutor("RAFT-RPC-executor-", sizes.getRaftRpcThreadPoolSize()),
          JRaftUtils.createExecutor("CLI-RPC-executor-", sizes.getCliRpcThreadPoolSize()));
      if (!server.init(null)) {
        throw new IllegalStateException("RPC server did not start on " + peer.getEndpoint());
      }
      servers.add(server);
    }
  }

  /** Starts group number {@code groups()} on every endpoint. */
  void startGroup() throws IOException {
    int g = replicas.size();
    String groupId = "g" + g;
    RaftGroupService[] services = new RaftGroupService[nodes];
    replicas.add(services);
    for (int i = 0; i < nodes; i++) {
      Path dir = Files.createDirectories(dataDir.resolve("n" + i).resolve(groupId));
      NodeOptions o = SofaOptions.forReplica(conf.copy(), new CountingStateMachine(applied), dir, electionTimeoutMs,
          metrics);
      services[i] = new RaftGroupService(groupId, peers.get(i).copy(), o, servers.get(i), true);
      services[i].start(false); // the shared server is already running
    }
  }

  int groups() {
    return replicas.size();
  }

  /** The replica of group {@code g} that leads now, or null. */
  Node findLeader(int g) {
    for (RaftGroupService s : replicas.get(g)) {
      Node n = s.getRaftNode();
      if (n != null && n.isLeader()) {
        return n;
      }
    }
    return null;
  }

  int groupsWithLeader() {
    int led = 0;
    for (int g = 0; g < replicas.size(); g++) {
      if (findLeader(g) != null) {
        led++;
      }
    }
    return led;
  }

  /** Caches every group's leader; call once all groups have one, before the load starts. */
  void cacheLeaders() {
    leaders = new AtomicReferenceArray<>(replicas.size());
    for (int g = 0; g < replicas.size(); g++) {
      leaders.set(g, findLeader(g));
    }
  }

  Node leader(int g) {
    Node n = leaders.get(g);
    return n != null ? n : refreshLeader(g);
  }

  Node refreshLeader(int g) {
    Node n = findLeader(g);
    leaders.set(g, n);
    return n;
  }

  /** Requests the followers handled (heartbeats plus appends); 0 unless metrics are enabled. */
  long followerRequestsHandled() {
    long sum = 0;
    for (RaftGroupService[] group : replicas) {
      for (RaftGroupService s : group) {
        Node n = s.getRaftNode();
        var registry = n == null ? null : n.getNodeMetrics().getMetricRegistry();
        if (registry != null) {
          sum += registry.timer("handle-heartbeat-requests").getCount();
          sum += registry.timer("handle-append-entries").getCount();
        }
      }
    }
    return sum;
  }

  private static int freePort() throws IOException {
    // the OS picks a free loopback port; another process could take it before bolt binds, but on a
    // benchmark machine that race is rare and shows as a start failure, not a wrong number
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
