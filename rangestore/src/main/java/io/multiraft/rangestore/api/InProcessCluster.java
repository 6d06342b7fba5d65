package io.multiraft.rangestore.api;

import io.multiraft.node.LoopbackTransport;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.ReplicaDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Range store nodes in one process over a loopback transport, each with its own RocksDB under
 * {@code root}: the test mode of the embedding API, and the in-process demo. Nodes can be stopped
 * and restarted on their data.
 */
public final class InProcessCluster implements AutoCloseable {
  /** The range created by {@link #bootstrap}: the whole key space. */
  public static final long FIRST_RANGE = 1;

  private final Path root;
  private final UnaryOperator<RangeStoreConfig.Builder> tweak;
  private final LoopbackTransport transport = new LoopbackTransport();
  private final Map<Long, RangeStore> nodes = new ConcurrentHashMap<>();

  public InProcessCluster(Path root, UnaryOperator<RangeStoreConfig.Builder> tweak) {
    this.root = root;
    this.tweak = tweak;
  }

  /** Starts nodes 1..n and creates the first range on the first {@code replicas} of them. */
  public static InProcessCluster start(Path root, int n, int replicas, UnaryOperator<RangeStoreConfig.Builder> tweak) {
    InProcessCluster c = new InProcessCluster(root, tweak);
    for (long id = 1; id <= n; id++) {
      c.startNode(id);
    }
    c.bootstrap(replicas);
    return c;
  }

  public RangeStore startNode(long id) {
    RangeStoreConfig cfg = tweak.apply(RangeStoreConfig.builder(id, root.resolve("n" + id)).raftWorkers(2).tickIntervalMs(20)).build();
    RangeStore s = RangeStoreNode.open(cfg, transport);
    nodes.put(id, s);
    transport.heal(id);
    return s;
  }

  public void stopNode(long id) {
    RangeStore s = nodes.remove(id);
    transport.isolate(id);
    s.close();
    transport.unregister(id);
  }

  private void bootstrap(int replicas) {
    List<ReplicaDescriptor> rs = new ArrayList<>();
    for (long id = 1; id <= replicas; id++) {
      rs.add(new ReplicaDescriptor(id, ReplicaDescriptor.Role.VOTER));
    }
    RangeDescriptor first = new RangeDescriptor(FIRST_RANGE, Keys.MIN, null, rs, 0);
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (long id = 1; id <= replicas; id++) {
      fs.add(nodes.get(id).bootstrapRange(first));
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).join();
  }

  public RangeStore node(long id) {
    return nodes.get(id);
  }

  /** The live nodes by id (a live view: stopped nodes disappear from it). */
  public Map<Long, RangeStore> nodes() {
    return nodes;
  }

  public LoopbackTransport transport() {
    return transport;
  }

  public RangeClient client(long timeoutMs) {
    return new RangeClient(nodes, timeoutMs);
  }

  @Override
  public void close() {
    for (long id : new TreeMap<>(nodes).keySet()) {
      stopNode(id);
    }
  }
}
