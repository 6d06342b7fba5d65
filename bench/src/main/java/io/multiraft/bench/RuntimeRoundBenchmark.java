package io.multiraft.bench;

import io.multiraft.node.LoopbackTransport;
import io.multiraft.node.MemoryLogStore;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.NodeConfig;
import io.multiraft.spi.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole runtime's cost per write, on one thread: three nodes without threads (pumped, as the
 * simulator drives them) over the loopback transport with in-memory logs and a virtual clock. One
 * invocation writes {@value #WRITES} commands spread round-robin over {@code groups} groups and
 * pumps until every one is applied on its leader. Single-threaded, so the score is CPU per write of
 * the three nodes together, free of scheduling noise: the ratio of 1,000 groups to 1 group is what
 * separates per-group costs (messages, readies, syncs) from per-entry costs. The virtual clock is
 * this thread's CPU time, so ticks and heartbeats come at the rate they would on one core.
 *
 * <p>{@code java -jar bench/target/bench.jar jmh RuntimeRoundBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuntimeRoundBenchmark {
  static final int WRITES = 1000;
  private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

  @Param({"1", "1000"})
  public int groups;

  /** memory, or rocks (one RocksDB log per node in a temporary directory, synced). */
  @Param({"memory"})
  public String store;

  private java.nio.file.Path dir;
  private final List<io.multiraft.spi.LogStore> stores = new ArrayList<>();

  private final List<MultiRaftNode> nodes = new ArrayList<>();
  private final List<CompletableFuture<Object>> pending = new ArrayList<>();
  private long[] leaderOf;
  private long now = 1_000_000_000L;
  private long lastCpu = MX.getCurrentThreadCpuTime();
  private final byte[] payload = new byte[128];

  @Setup(Level.Trial)
  public void setup() {
    LoopbackTransport transport = new LoopbackTransport();
    Clock clock = () -> now;
    Set<Long> voters = new HashSet<>(Set.of(1L, 2L, 3L));
    try {
      dir = java.nio.file.Files.createTempDirectory("runtime-round");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (long id = 1; id <= 3; id++) {
      NodeConfig cfg = NodeConfig.builder(id).workers(1).seed(id).threaded(false).build();
      io.multiraft.spi.LogStore log = InProcessCluster.stores(store, dir).apply(id);
      stores.add(log);
      nodes.add(new MultiRaftNode(cfg, log, transport, g -> new io.multiraft.bench.xjvm.NullStateMachine(), clock));
    }
    List<CompletableFuture<Void>> created = new ArrayList<>();
    for (long g = 1; g <= groups; g++) {
      for (MultiRaftNode n : nodes) {
        created.add(n.createGroup(g, voters));
      }
    }
    pumpUntil(() -> created.stream().allMatch(CompletableFuture::isDone), 60_000_000_000L);
    pumpUntil(() -> nodes.stream().mapToInt(MultiRaftNode::leaderCount).sum() >= groups, 60_000_000_000L);
    leaderOf = new long[groups + 1];
    for (int g = 1; g <= groups; g++) {
      for (MultiRaftNode n : nodes) {
        CompletableFuture<io.multiraft.core.GroupStatus> s = n.status(g);
        pumpUntil(s::isDone, 1_000_000_000L);
        if (s.join().role() == io.multiraft.core.Role.LEADER) {
          leaderOf[g] = n.nodeId();
        }
      }
    }
  }

  private void pumpUntil(java.util.function.BooleanSupplier done, long maxNs) {
    long end = now + maxNs;
    while (!done.getAsBoolean()) {
      if (now > end) {
        throw new IllegalStateException("no progress within " + maxNs / 1_000_000 + " virtual ms");
      }
      for (MultiRaftNode n : nodes) {
        n.pump(now);
      }
      long cpu = MX.getCurrentThreadCpuTime();
      now += Math.max(1_000, cpu - lastCpu);
      lastCpu = cpu;
    }
  }

  @Benchmark
  @OperationsPerInvocation(WRITES)
  public int writeRound() {
    pending.clear();
    for (int i = 0; i < WRITES; i++) {
      int g = 1 + i % groups;
      pending.add(nodes.get((int) leaderOf[g] - 1).propose(g, payload));
    }
    pumpUntil(() -> {
      for (int i = pending.size() - 1; i >= 0; i--) {
        if (!pending.get(i).isDone()) {
          return false;
        }
      }
      return true;
    }, 10_000_000_000L);
    return pending.size();
  }

  /**
   * Without JMH: thread CPU time per write (robust on a loaded machine, unlike wall time) and the
   * counters per write. {@code java -cp bench.jar io.multiraft.bench.RuntimeRoundBenchmark [rounds] [groups...]}
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    List<Integer> sweep = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      sweep.add(Integer.parseInt(args[i]));
    }
    if (sweep.isEmpty()) {
      sweep = List.of(1, 1000);
    }
    java.lang.management.ThreadMXBean mx = MX;
    for (int g : sweep) {
      RuntimeRoundBenchmark b = new RuntimeRoundBenchmark();
      b.groups = g;
      b.store = System.getProperty("store", "memory");
      b.setup();
      for (int i = 0; i < rounds / 2; i++) {
        b.writeRound(); // warm-up
      }
      java.util.Map<String, Long> c0 = CostCounters.sum(b.nodes);
      long cpu0 = mx.getCurrentThreadCpuTime();
      long alloc0 = allocatedBytes();
      for (int i = 0; i < rounds; i++) {
        b.writeRound();
      }
      long cpu = mx.getCurrentThreadCpuTime() - cpu0;
      long alloc = allocatedBytes() - alloc0;
      double writes = (double) rounds * WRITES;
      StringBuilder sb = new StringBuilder();
      CostCounters.perWrite(c0, CostCounters.sum(b.nodes), writes)
          .forEach((k, v) -> sb.append(String.format(" %s=%.2f", k, (double) v)));
      System.out.printf("groups=%d cpu_ns_per_write=%.0f bytes_per_write=%.0f%s%n", g, cpu / writes, alloc / writes, sb);
      b.tearDown();
    }
  }

  /**
   * Bytes this thread allocated so far (everything runs on it when pumped): garbage per write is
   * the other half of the runtime's cost, paid later by the collector. -1 if the JVM cannot tell.
   */
  private static long allocatedBytes() {
    if (MX instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
      return sun.getCurrentThreadAllocatedBytes();
    }
    return -1;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (MultiRaftNode n : nodes) {
      n.close();
    }
    stores.forEach(io.multiraft.spi.LogStore::close);
    try {
      IdleScenario.deleteTree(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
