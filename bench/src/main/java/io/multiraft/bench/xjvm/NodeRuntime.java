package io.multiraft.bench.xjvm;

import io.multiraft.bench.NodeExperiments;
import io.multiraft.bench.ProcessStats;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.MessageType;
import io.multiraft.core.Role;
import io.multiraft.node.MemoryLogStore;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.NodeConfig;
import io.multiraft.node.RaftObserver;
import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.spi.Clock;
import io.multiraft.spi.LogStore;
import io.multiraft.transport.NettyTransport;
import io.multiraft.transport.TransportConfig;
import io.multiraft.transport.TransportCounters;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One node of a benchmark cluster in its own process: a {@link MultiRaftNode} over a
 * {@link NettyTransport} on loopback and its own log store (a synced {@link RocksLogStore} by
 * default). It listens on a free port; the driver tells it its peers' addresses once all listen.
 */
final class NodeRuntime implements AutoCloseable {
  private static final int CREATE_CHUNK = 2_000;

  final long id;
  private final Set<Long> voters = new HashSet<>();
  private final LogStore store;
  private final NettyTransport transport;
  private final MultiRaftNode node;
  private final Hiccups hiccups;
  /** Epoch microseconds at which this node's replica of a group last became leader: failover timing across processes. */
  private final Map<Long, Long> leaderSinceMicros = new ConcurrentHashMap<>();
  private final List<long[]> created = new ArrayList<>();

  NodeRuntime(long id, int nodes, int workers, String storeKind, Path dataDir, String clusterId) {
    this.id = id;
    for (long v = 1; v <= nodes; v++) {
      voters.add(v);
    }
    LogStore s = null;
    NettyTransport t = null;
    try {
      s = switch (storeKind) {
        case "rocks" -> RocksLogStore.open(dataDir);
        case "memory" -> new MemoryLogStore();
        default -> throw new IllegalArgumentException("unknown store '" + storeKind + "' (rocks, memory)");
      };
      t = new NettyTransport(TransportConfig.builder(id, clusterId,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build());
      NodeConfig cfg = NodeExperiments.apply(NodeConfig.builder(id).workers(workers).seed(id)).build();
      this.node = new MultiRaftNode(cfg, s, t, g -> new NullStateMachine(), Clock.SYSTEM);
    } catch (RuntimeException e) {
      if (t != null) {
        t.close();
      }
      if (s != null) {
        s.close();
      }
      throw e;
    }
    this.store = s;
    this.transport = t;
    this.hiccups = new Hiccups();
    node.setObserver(new RaftObserver() {
      @Override
      public void onLeader(long nodeId, long group, long term) {
        leaderSinceMicros.put(group, epochMicros());
      }
    });
  }

  static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  int port() {
    return transport.localAddress().getPort();
  }

  /**
   * Waits until the links to every peer are up. Groups created before that campaign into a link
   * that drops their pre-votes, and the nodes connected first win their elections: leadership
   * then follows the order in which the JVMs happened to connect.
   */
  void awaitConnected(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    for (long peer : voters) {
      while (peer != id && !transport.isConnected(peer)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("node " + id + ": no connection to node " + peer + " within " + timeoutMs + " ms");
        }
        Thread.sleep(5); // polling a connection state the transport owns; not synchronising threads of ours
      }
    }
  }

  MultiRaftNode node() {
    return node;
  }

  void addPeer(long peer, InetSocketAddress address) {
    transport.addPeer(peer, address);
  }

  /** Creates groups {@code from..to} (inclusive) here, in chunks so the worker queues are not flooded. */
  void createGroups(long from, long to) {
    for (long start = from; start <= to; start += CREATE_CHUNK) {
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (long g = start; g <= Math.min(to, start + CREATE_CHUNK - 1); g++) {
        fs.add(node.createGroup(g, voters));
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(120, TimeUnit.SECONDS).join();
    }
    created.add(new long[] {from, to});
  }

  /** Groups whose replica here is the leader now, each with when it became leader (0: unknown). */
  Map<Long, Long> ledGroups() {
    List<CompletableFuture<GroupStatus>> fs = new ArrayList<>();
    for (long[] range : created) {
      for (long g = range[0]; g <= range[1]; g++) {
        fs.add(node.status(g));
      }
    }
    Map<Long, Long> out = new LinkedHashMap<>();
    for (CompletableFuture<GroupStatus> f : fs) {
      GroupStatus s = f.orTimeout(30, TimeUnit.SECONDS).join();
      if (s.role() == Role.LEADER) {
        out.put(s.groupId(), leaderSinceMicros.getOrDefault(s.groupId(), 0L));
      }
    }
    return out;
  }

  /** {@code group:target,...}: asks the leader here of each group to hand leadership to target. */
  void transferLeaders(String pairs) {
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (String p : pairs.split(",")) {
      if (!p.isEmpty()) {
        String[] kv = p.split(":");
        // A refusal (no longer leader, a transfer already running) is fine: the driver re-checks.
        fs.add(node.transferLeader(Long.parseLong(kv[0]), Long.parseLong(kv[1])).exceptionally(e -> null));
      }
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
  }

  Map<String, Object> counts() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("groups", node.groupCount());
    m.put("leaders", node.leaderCount());
    m.put("active", node.activeGroups());
    return m;
  }

  /** Everything the driver turns into figures; {@code gc}: also the heap after full collections (slow). */
  Map<String, Object> stats(boolean gc) {
    Map<String, Object> m = counts();
    m.put("cpu_ns", ProcessStats.cpuNanos());
    m.put("alloc_bytes", ProcessStats.allocatedBytes());
    m.put("rss_bytes", ProcessStats.rssBytes());
    m.put("os_threads", ProcessStats.osThreads());
    m.put("jvm_threads", ManagementFactory.getThreadMXBean().getThreadCount());
    m.put("heap_used", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    // The JIT's and the collectors' time, so an idle window can be told apart from a JVM warming up.
    m.put("jit_ms", ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    m.put("jit_cpu_ns", ProcessStats.compilerCpuNanos());
    m.put("gc_ms", ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum());
    if (gc) {
      m.put("heap_after_gc", ProcessStats.heapAfterGc());
    }
    m.put("node_msgs_sent", node.counters().messagesSent());
    m.put("node_msgs_received", node.counters().messagesReceived());
    TransportCounters tc = transport.counters();
    m.put("wire_msgs_sent", tc.messagesSent.sum());
    m.put("wire_msgs_received", tc.messagesReceived.sum());
    m.put("wire_frames_sent", tc.framesSent.sum());
    m.put("wire_bytes_sent", tc.bytesSent.sum());
    // Elections, for failover: campaigns started (pre-votes) and won (votes asked), groups woken.
    m.put("prevotes_sent", node.counters().sentOf(MessageType.PRE_VOTE));
    m.put("votes_sent", node.counters().sentOf(MessageType.VOTE));
    m.put("groups_woken", node.counters().woken.sum());
    m.put("leaderships_gained", node.counters().leadershipsGained.sum());
    m.put("log_syncs", node.logSyncs());
    // What can move leadership without a failure: log writes of 300 ms or more, and JVM pauses as long.
    m.put("slow_log_writes", node.slowLogWrites());
    m.put("long_pauses", hiccups.longOnes());
    // What a write costs in Raft work, for the per-write breakdown of a throughput window.
    for (MessageType t : MessageType.values()) {
      m.put("sent_" + t.name().toLowerCase(Locale.ROOT), node.counters().sentOf(t));
    }
    m.put("quiesced", node.counters().quiesced.sum());
    m.put("quiesced_early", node.counters().quiescedEarly.sum());
    m.put("readies", node.counters().readies.sum());
    m.put("duty_cycles", node.counters().dutyCycles.sum());
    m.put("ticks", node.counters().ticks.sum());
    m.put("log_entries", node.logEntries());
    return m;
  }

  /** In order: the node (workers, then the log writer's last batch), then the transport, then the store. */
  @Override
  public void close() {
    hiccups.close();
    node.close();
    transport.close();
    store.close();
  }
}
