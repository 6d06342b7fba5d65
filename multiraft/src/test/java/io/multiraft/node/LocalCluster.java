package io.multiraft.node;

import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import io.multiraft.spi.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Several {@link MultiRaftNode}s in one process over a {@link LoopbackTransport}, each with its own
 * {@link MemoryLogStore}. Either threaded (real time) or manual, driven on a virtual clock.
 */
final class LocalCluster implements AutoCloseable {
  final LoopbackTransport transport = new LoopbackTransport();
  final TreeMap<Long, MultiRaftNode> nodes = new TreeMap<>();
  final TreeMap<Long, MemoryLogStore> stores = new TreeMap<>();
  /** Per node, per group: the state machine the node created. */
  final Map<Long, Map<Long, CountingStateMachine>> machines = new ConcurrentHashMap<>();
  final boolean threaded;
  final long tickNs;
  long virtualNow = 1_000_000_000L;
  private final Clock virtualClock = () -> virtualNow;

  private final java.util.function.UnaryOperator<NodeConfig.Builder> tweak;
  /** Per node, per group: durable state machine state, when the cluster was built with durable machines. */
  final Map<Long, Map<Long, CountingStateMachine.Disk>> disks = new ConcurrentHashMap<>();
  private boolean durableMachines;

  /** Applies of a group listed here wait until its latch opens (a slow state machine). */
  final Map<Long, java.util.concurrent.CountDownLatch> gates = new ConcurrentHashMap<>();

  LocalCluster(int n, boolean threaded, long tickNs) {
    this(n, threaded, tickNs, b -> b);
  }

  LocalCluster(int n, boolean threaded, long tickNs, java.util.function.UnaryOperator<NodeConfig.Builder> tweak) {
    this(n, threaded, tickNs, tweak, false);
  }

  /** With {@code durableMachines}, state machines keep their state across {@link #crash}. */
  LocalCluster(int n, boolean threaded, long tickNs, java.util.function.UnaryOperator<NodeConfig.Builder> tweak, boolean durableMachines) {
    this.durableMachines = durableMachines;
    this.threaded = threaded;
    this.tickNs = tickNs;
    this.tweak = tweak;
    for (long id = 1; id <= n; id++) {
      stores.put(id, new MemoryLogStore());
      start(id);
    }
  }

  void start(long id) {
    Map<Long, CountingStateMachine> sms = new ConcurrentHashMap<>();
    machines.put(id, sms);
    NodeConfig cfg = tweak.apply(NodeConfig.builder(id)
        .workers(2)
        .tickIntervalNs(tickNs)
        .threaded(threaded)
        .seed(id))
        .build();
    MultiRaftNode node = new MultiRaftNode(cfg, stores.get(id), transport, g -> {
      CountingStateMachine.Disk disk = durableMachines
          ? disks.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).computeIfAbsent(g, k -> new CountingStateMachine.Disk())
          : null;
      CountingStateMachine sm = new CountingStateMachine(gates.get(g), disk);
      sms.put(g, sm);
      return sm;
    }, threaded ? Clock.SYSTEM : virtualClock);
    nodes.put(id, node);
  }

  MultiRaftNode node(long id) {
    return nodes.get(id);
  }

  Set<Long> voters() {
    return new HashSet<>(nodes.keySet());
  }

  /** Manual mode: runs duty cycles at the current virtual time until nothing moves. */
  void settle() {
    for (int i = 0; i < 100_000; i++) {
      int work = 0;
      for (MultiRaftNode n : nodes.values()) {
        work += n.pump(virtualNow);
      }
      if (work == 0) {
        return;
      }
    }
    throw new AssertionError("nodes did not settle");
  }

  /** Manual mode: advances virtual time tick by tick, settling after each. */
  void advanceTicks(int ticks) {
    for (int i = 0; i < ticks; i++) {
      virtualNow += tickNs;
      settle();
    }
  }

  /** Waits for a condition: by ticking virtual time in manual mode, by polling with a deadline in threaded mode. */
  void await(String what, BooleanSupplier cond, long timeoutMs) {
    if (!threaded) {
      long ticks = TimeUnit.MILLISECONDS.toNanos(timeoutMs) / tickNs;
      for (long i = 0; i <= ticks; i++) {
        settle();
        if (cond.getAsBoolean()) {
          return;
        }
        virtualNow += tickNs;
      }
      throw new AssertionError("timed out (virtual) waiting for " + what);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /** Threaded tests without a cluster: polls a condition with a deadline (lesson 24: no sleeps). */
  static void awaitCondition(String what, BooleanSupplier cond) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  GroupStatus status(long node, long group) {
    var f = nodes.get(node).status(group);
    if (!threaded) {
      settle();
    }
    return f.join();
  }

  /** The leader of a group as agreed by every live node, or 0. */
  long agreedLeader(long group) {
    long leader = -1;
    for (long id : nodes.keySet()) {
      GroupStatus s = status(id, group);
      if (leader == -1) {
        leader = s.leader();
      } else if (leader != s.leader()) {
        return 0;
      }
    }
    if (leader <= 0 || !nodes.containsKey(leader) || status(leader, group).role() != Role.LEADER) {
      return 0;
    }
    return leader;
  }

  void stop(long id) {
    MultiRaftNode n = nodes.remove(id);
    transport.isolate(id);
    n.close();
    transport.unregister(id);
  }

  /**
   * Manual mode: a power failure of one node. The node object is dropped without closing (nothing
   * more is written), its store loses what was not synced, and a new node starts on it.
   */
  void crash(long id) {
    nodes.remove(id);
    transport.unregister(id);
    stores.get(id).crash();
    start(id);
  }

  @Override
  public void close() {
    for (MultiRaftNode n : nodes.values()) {
      n.close();
    }
  }
}
