package io.multiraft.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Drives several replicas of one group in memory, following the {@link Ready} contract exactly:
 * immediate messages are queued, then the Ready is persisted into the node's {@link MemoryStorage},
 * then persisted messages are queued, then committed entries are applied and the Ready advanced.
 * Messages travel only when {@link #deliver} is called, so tests choose every interleaving.
 */
final class TestCluster {
  static final long GROUP = 1;

  /** One replica and what its state machine has applied. */
  static final class Node {
    final long id;
    MemoryStorage storage;
    RaftGroup group;
    final List<Entry> applied = new ArrayList<>();
    boolean crashed;

    Node(long id) {
      this.id = id;
    }

    Raft raft() {
      return group.raft();
    }
  }

  final TreeMap<Long, Node> nodes = new TreeMap<>();
  final ArrayDeque<Message> network = new ArrayDeque<>();
  /** Directed links that lose every message: "from->to". */
  final Set<String> cut = new HashSet<>();
  private final Consumer<RaftConfig.Builder> tweak;
  private final SplittableRandom seeds;
  /** Every Ready handed out, for tests that inspect the contract. */
  final List<Ready> readyLog = new ArrayList<>();
  /** Every message handed to the network, in order. */
  final List<Message> sent = new ArrayList<>();

  TestCluster(int voters, Consumer<RaftConfig.Builder> tweak, long seed) {
    this.tweak = tweak;
    this.seeds = new SplittableRandom(seed);
    long[] ids = new long[voters];
    for (int i = 0; i < voters; i++) {
      ids[i] = i + 1;
    }
    for (long id : ids) {
      add(id, MemoryStorage.withVoters(ids));
    }
  }

  TestCluster(int voters) {
    this(voters, b -> { }, 42);
  }

  /** Adds a replica with the given storage (for learners, new members, split groups). */
  Node add(long id, MemoryStorage storage) {
    Node n = new Node(id);
    n.storage = storage;
    n.group = newGroup(id, storage, 0);
    nodes.put(id, n);
    return n;
  }

  private RaftGroup newGroup(long id, MemoryStorage storage, long applied) {
    RaftConfig.Builder b = RaftConfig.builder(GROUP, id).appliedIndex(applied);
    tweak.accept(b);
    return new RaftGroup(b.build(), storage, seeds.split());
  }

  Node node(long id) {
    return nodes.get(id);
  }

  RaftGroup group(long id) {
    return nodes.get(id).group;
  }

  /** Handles one Ready of node {@code id}, if it has one; returns whether it did. */
  boolean processReady(long id) {
    Node n = nodes.get(id);
    if (n.crashed || !n.group.hasReady()) {
      return false;
    }
    Ready rd = n.group.ready();
    readyLog.add(rd);
    enqueue(rd.messages());
    if (rd.snapshot() != null) {
      n.storage.applySnapshot(rd.snapshot());
      n.applied.clear(); // the state machine is replaced by the snapshot's
    }
    n.storage.append(rd.entries());
    if (rd.hardState() != null) {
      n.storage.setHardState(rd.hardState());
    }
    enqueue(rd.persistedMessages());
    for (Entry e : rd.committedEntries()) {
      if (e.type() == EntryType.CONF_CHANGE) {
        n.group.applyConfChange(e);
      }
      n.applied.add(e);
    }
    n.group.advance(rd);
    return true;
  }

  private void enqueue(List<Message> msgs) {
    for (Message m : msgs) {
      sent.add(m);
      network.addLast(m);
    }
  }

  /** Delivers every queued message except those {@code drop} selects or that cross a cut link. */
  int deliver(Predicate<Message> drop) {
    int n = 0;
    int size = network.size();
    for (int i = 0; i < size; i++) {
      Message m = network.pollFirst();
      Node to = nodes.get(m.to);
      if (to == null || to.crashed || drop.test(m) || cut.contains(m.from + "->" + m.to)) {
        continue;
      }
      to.group.step(m);
      n++;
    }
    return n;
  }

  int deliver() {
    return deliver(m -> false);
  }

  /** Processes readies and delivers messages until nothing moves. */
  void stabilize() {
    for (int round = 0; round < 10_000; round++) {
      boolean moved = false;
      for (long id : nodes.keySet()) {
        while (processReady(id)) {
          moved = true;
        }
      }
      if (deliver() > 0) {
        moved = true;
      }
      if (!moved && network.isEmpty()) {
        return;
      }
    }
    throw new AssertionError("cluster did not stabilize");
  }

  void tick(long id) {
    nodes.get(id).group.tick();
  }

  void tickAll(int times) {
    for (int i = 0; i < times; i++) {
      for (Node n : nodes.values()) {
        if (!n.crashed) {
          n.group.tick();
        }
      }
    }
  }

  /** Campaigns on {@code id} and runs the election to completion. */
  void elect(long id) {
    group(id).campaign();
    stabilize();
    if (group(id).role() != Role.LEADER) {
      throw new AssertionError("node " + id + " did not win: " + group(id).status());
    }
  }

  void isolate(long id) {
    for (long other : nodes.keySet()) {
      if (other != id) {
        cut.add(id + "->" + other);
        cut.add(other + "->" + id);
      }
    }
  }

  void partition(Set<Long> side) {
    for (long a : nodes.keySet()) {
      for (long b : nodes.keySet()) {
        if (side.contains(a) != side.contains(b)) {
          cut.add(a + "->" + b);
        }
      }
    }
  }

  void heal() {
    cut.clear();
  }

  /** Restarts a node from its storage: everything not persisted is lost. */
  void restart(long id) {
    Node n = nodes.get(id);
    n.crashed = false;
    long applied = n.applied.isEmpty() ? 0 : n.applied.get(n.applied.size() - 1).index();
    n.applied.clear();
    n.group = newGroup(id, n.storage, 0);
    if (applied > 0) {
      // the state machine in these tests is the applied list, rebuilt by re-applying from the log
    }
  }

  void crash(long id) {
    nodes.get(id).crashed = true;
  }

  /** Payloads of the normal, non-empty entries node {@code id} applied, as strings. */
  List<String> appliedData(long id) {
    List<String> out = new ArrayList<>();
    for (Entry e : nodes.get(id).applied) {
      if (e.type() == EntryType.NORMAL && e.data().length > 0) {
        out.add(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  Map<Long, Node> all() {
    return nodes;
  }

  static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
