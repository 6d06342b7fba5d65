package io.multiraft.demo;

import io.multiraft.core.Entry;
import io.multiraft.core.GroupStatus;
import io.multiraft.node.LoopbackTransport;
import io.multiraft.node.MemoryLogStore;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.NodeConfig;
import io.multiraft.spi.Clock;
import io.multiraft.spi.StateMachine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The main job until the range store's server exists: a local cluster of three nodes in this
 * process (loopback transport, in-memory logs), hosting many Raft groups on a few threads. It
 * creates the groups, waits for leaders, writes to every group, lets the idle groups quiesce,
 * stops one node, waits for its groups to elect new leaders, writes again, and prints what it did.
 */
public final class ClusterDemo {
  private final int groups;
  private final LoopbackTransport transport = new LoopbackTransport();
  private final TreeMap<Long, MultiRaftNode> nodes = new TreeMap<>();

  /** A state machine that sums the 8-byte numbers written to it. */
  static final class SumMachine implements StateMachine {
    long sum;

    @Override
    public Object apply(Entry e) {
      sum += ByteBuffer.wrap(e.data()).getLong();
      return sum;
    }

    @Override
    public byte[] snapshot() {
      return ByteBuffer.allocate(8).putLong(sum).array();
    }

    @Override
    public void restore(byte[] data) {
      sum = ByteBuffer.wrap(data).getLong();
    }
  }

  private ClusterDemo(int groups) {
    this.groups = groups;
    for (long id = 1; id <= 3; id++) {
      NodeConfig cfg = NodeConfig.builder(id).workers(2).seed(id).build();
      nodes.put(id, new MultiRaftNode(cfg, new MemoryLogStore(), transport, g -> new SumMachine(), Clock.SYSTEM));
    }
  }

  public static void main(String[] args) {
    int groups = 1000;
    if (args.length > 0) {
      try {
        if (!args[0].startsWith("--groups=")) {
          throw new IllegalArgumentException("unknown option '" + args[0] + "'");
        }
        groups = Integer.parseInt(args[0].substring("--groups=".length()));
        if (groups <= 0 || args.length > 1) {
          throw new IllegalArgumentException("--groups must be a positive number, alone");
        }
      } catch (IllegalArgumentException e) {
        System.err.println("error: " + e.getMessage());
        System.err.println("usage: ClusterDemo [--groups=N]");
        System.exit(2);
      }
    }
    ClusterDemo demo = new ClusterDemo(groups);
    try {
      demo.run();
    } finally {
      demo.close();
    }
  }

  private void run() {
    System.out.printf("local cluster: 3 nodes in this process, %d Raft groups, each with a replica on every node%n", groups);
    long t0 = System.nanoTime();
    List<CompletableFuture<Void>> created = new ArrayList<>();
    for (long g = 1; g <= groups; g++) {
      for (MultiRaftNode n : nodes.values()) {
        created.add(n.createGroup(g, Set.of(1L, 2L, 3L)));
      }
    }
    join(created);
    waitFor("leaders", () -> leaders() >= groups);
    System.out.printf("%6d ms  every group elected a leader; leaders per node %s%n", ms(t0), leadersPerNode());

    long t1 = System.nanoTime();
    Map<Long, Long> leaderOf = leaderMap(1);
    write(leaderOf, 100);
    System.out.printf("%6d ms  wrote 100 commands to each group (%d in all), each applied on its leader in %d ms total%n",
        ms(t0), 100L * groups, ms(t1));

    waitFor("quiescence", () -> active() == 0);
    long sent = messagesSent();
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // let two idle seconds pass
    System.out.printf("%6d ms  all %d groups quiesced: %d messages sent in 2 idle seconds, %d groups ticking%n",
        ms(t0), groups, messagesSent() - sent, active());

    long victim = 3;
    long led = leaderOf.values().stream().filter(l -> l == victim).count();
    long woken = nodes.values().stream().filter(n -> n.nodeId() != victim).mapToLong(n -> n.counters().woken.sum()).sum();
    transport.isolate(victim);
    nodes.remove(victim).close();
    long t2 = System.nanoTime();
    waitFor("re-election", () -> leaders() >= groups);
    System.out.printf("%6d ms  node %d stopped; the %d groups it led elected new leaders in %d ms (%d replicas woke up: only those groups')%n",
        ms(t0), victim, led, ms(t2), nodes.values().stream().mapToLong(n -> n.counters().woken.sum()).sum() - woken);

    write(leaderMap(1), 10);
    System.out.printf("%6d ms  wrote 10 more commands to each group with one node down%n", ms(t0));
    for (MultiRaftNode n : nodes.values()) {
      System.out.printf("node %d: %d groups, %d led, %d log syncs for %d entries (%.1f entries per sync), %d messages sent in %d frames%n",
          n.nodeId(), n.groupCount(), n.leaderCount(), n.logSyncs(), n.logEntries(),
          n.logSyncs() == 0 ? 0.0 : n.logEntries() / (double) n.logSyncs(), n.counters().messagesSent(), n.counters().framesSent.sum());
    }
  }

  private void write(Map<Long, Long> leaderOf, int perGroup) {
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (int i = 0; i < perGroup; i++) {
      for (long g = 1; g <= groups; g++) {
        fs.add(nodes.get(leaderOf.get(g)).propose(g, ByteBuffer.allocate(8).putLong(1).array()));
      }
    }
    join(fs);
  }

  private Map<Long, Long> leaderMap(long viewer) {
    List<CompletableFuture<GroupStatus>> fs = new ArrayList<>();
    for (long g = 1; g <= groups; g++) {
      fs.add(nodes.get(viewer).status(g));
    }
    join(fs);
    Map<Long, Long> out = new TreeMap<>();
    for (CompletableFuture<GroupStatus> f : fs) {
      out.put(f.join().groupId(), f.join().leader());
    }
    return out;
  }

  private static <T> void join(List<CompletableFuture<T>> fs) {
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(120, TimeUnit.SECONDS).join();
  }

  private static void waitFor(String what, java.util.function.BooleanSupplier cond) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  private int leaders() {
    return nodes.values().stream().mapToInt(MultiRaftNode::leaderCount).sum();
  }

  private int active() {
    return nodes.values().stream().mapToInt(MultiRaftNode::activeGroups).sum();
  }

  private long messagesSent() {
    return nodes.values().stream().mapToLong(n -> n.counters().messagesSent()).sum();
  }

  private String leadersPerNode() {
    Map<Long, Integer> m = new TreeMap<>();
    for (MultiRaftNode n : nodes.values()) {
      m.put(n.nodeId(), n.leaderCount());
    }
    return m.toString();
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private void close() {
    for (MultiRaftNode n : nodes.values()) {
      n.close();
    }
  }
}
