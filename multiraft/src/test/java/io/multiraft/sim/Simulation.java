package io.multiraft.sim;

import io.multiraft.core.ConfChange;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.ConfState;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.core.Role;
import io.multiraft.node.MemoryLogStore;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.NodeConfig;
import io.multiraft.node.RaftException;
import io.multiraft.spi.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs real {@link MultiRaftNode}s on one thread and virtual time, over a {@link SimNetwork} and
 * {@link MemoryLogStore}s that model disks, under faults chosen by one seed: drops, duplicates,
 * reordering, partitions, clogged links, crashes with torn unsynced writes, pauses, disk errors,
 * disk stalls, leadership transfers and membership changes. Clients write and read keys throughout. Safety is
 * checked at every step; at the end everything heals and every group must converge.
 */
final class Simulation {
  static final long QUANTUM_NS = 1_000_000L;
  private static final int KEYS_PER_GROUP = 3;

  /** One node: its durable parts survive crashes; the node object does not. */
  final class SimNode {
    final long id;
    final MemoryLogStore store = new MemoryLogStore();
    final Map<Long, SimKv.Durable> kv = new HashMap<>();
    final Map<Long, SimKv> machines = new HashMap<>();
    MultiRaftNode node;
    boolean paused;
    boolean failed;

    SimNode(long id) {
      this.id = id;
    }

    void start() {
      machines.clear();
      NodeConfig cfg = NodeConfig.builder(id)
          .workers(params.workers())
          .tickIntervalNs(params.tickNs())
          .electionTicks(params.electionTicks())
          .threaded(false)
          .seed(seed * 7 + id)
          .snapshotEveryEntries(params.snapshotEvery())
          .compactionMarginEntries(params.compactionMargin())
          .logBudgetBytes(params.logBudget())
          .raftTweaks(b -> b.maxInflightMsgs(params.maxInflight()).maxSizePerMsgBytes(params.maxSizePerMsg())
              .readOnlyOption(leaseReads ? io.multiraft.core.ReadOnlyOption.LEASE_BASED : io.multiraft.core.ReadOnlyOption.SAFE))
          .build();
      node = new MultiRaftNode(cfg, store, net, g -> {
        SimKv sm = new SimKv(id, g, kv.computeIfAbsent(g, x -> new SimKv.Durable()), checker);
        machines.put(g, sm);
        return sm;
      }, clock);
      node.setObserver(checker);
      failed = false;
    }

    boolean up() {
      return node != null;
    }
  }

  final long seed;
  final SimParams params;
  final SplittableRandom random;
  final SplittableRandom faultRandom;
  final SplittableRandom clientRandom;
  final EventLoop loop = new EventLoop(1_000_000_000L);
  final Trace trace = new Trace();
  final SimNetwork net;
  final SafetyChecker checker;
  final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  final TreeMap<Long, TreeSet<Long>> replicasOf = new TreeMap<>();
  final List<ClientOp> history = new ArrayList<>();
  private final Clock clock = loop::now;
  private final Map<Long, Long> leaderGuess = new HashMap<>();
  private boolean chaos = true;
  private boolean clientsRunning = true;
  private long valueSeq;
  boolean plantLyingDisk;
  /** A planted bug: reads served from the local state machine, without a read index. */
  boolean plantStaleReads;
  /** Leaders answer reads on their lease (ReadOnlyOption.LEASE_BASED) instead of a round per read. */
  boolean leaseReads;
  String failure;

  Simulation(long seed) {
    this.seed = seed;
    SplittableRandom master = new SplittableRandom(seed);
    this.params = SimParams.from(master.split());
    this.random = master.split();
    this.faultRandom = master.split();
    this.clientRandom = master.split();
    this.net = new SimNetwork(loop, master.split(), trace);
    this.checker = new SafetyChecker(trace, loop);
    net.dropRate = params.dropRate();
    net.duplicateRate = params.duplicateRate();
    net.maxLatencyNs = Math.max(net.minLatencyNs + 1, params.maxLatencyNs());
  }

  // ---------------------------------------------------------------- running

  /** Reads answered on a lease by the nodes now running (a restarted node's count starts over). */
  long leaseReadCount() {
    long n = 0;
    for (SimNode s : nodes.values()) {
      if (s.node != null) {
        n += s.node.counters().leaseReads.sum();
      }
    }
    return n;
  }

  /** Runs the whole scenario; returns null if every check passed, else what failed. */
  String run() {
    try {
      setup();
      long chaosEnd = loop.now() + params.chaosNs();
      scheduleFault();
      for (int c = 0; c < params.clients(); c++) {
        int client = c;
        loop.after(clientRandom.nextLong(50_000_000L), () -> nextOp(client));
      }
      runUntil(chaosEnd, () -> false);
      heal();
      if (failure == null) {
        boolean converged = runUntil(loop.now() + 60_000_000_000L, this::converged);
        if (!converged && failure == null) {
          failure = "liveness: groups did not converge within 60 s after healing: " + describeGroups();
        }
      }
      if (failure == null && !runUntil(loop.now() + 30_000_000_000L, this::quiet)) {
        failure = "idle: groups did not quiesce, or the network did not go silent, within 30 s of converging: "
            + describeActivity();
      }
      if (failure == null && checker.violation != null) {
        failure = checker.violation;
      }
      if (failure == null) {
        for (ClientOp op : history) {
          if (!op.failed && !op.unknown && op.returnNs == Long.MAX_VALUE) {
            op.unknown = true; // never answered
          }
        }
      }
    } catch (RuntimeException e) {
      // Anything escaping the runtime fails the seed: bad input must be handled in the code.
      failure = "exception escaped: " + e;
      trace.add(loop.now(), "EXCEPTION " + stackOf(e));
    }
    return failure;
  }

  private static String stackOf(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  private void setup() {
    for (long id = 1; id <= params.nodes(); id++) {
      SimNode n = new SimNode(id);
      n.store.setLyingSync(plantLyingDisk);
      nodes.put(id, n);
      n.start();
    }
    List<Long> ids = new ArrayList<>(nodes.keySet());
    for (long g = 1; g <= params.groups(); g++) {
      TreeSet<Long> replicas = new TreeSet<>();
      while (replicas.size() < 3) {
        replicas.add(ids.get(random.nextInt(ids.size())));
      }
      replicasOf.put(g, replicas);
      for (long r : replicas) {
        nodes.get(r).node.createGroup(g, replicas);
      }
      trace.add(loop.now(), "group " + g + " on " + replicas);
    }
    trace.add(loop.now(), "params " + params);
  }

  /** Advances virtual time in quanta, pumping every live node, until {@code done} or {@code end}. */
  boolean runUntil(long end, java.util.function.BooleanSupplier done) {
    while (loop.now() < end) {
      loop.advanceTo(loop.now() + QUANTUM_NS);
      pumpAll();
      if (checker.violation != null) {
        failure = checker.violation;
        return false;
      }
      if (failure != null) {
        return false;
      }
      if (done.getAsBoolean()) {
        return true;
      }
    }
    return false;
  }

  private void pumpAll() {
    for (int round = 0; round < 10_000; round++) {
      int work = 0;
      for (SimNode n : nodes.values()) {
        if (n.up() && !n.paused) {
          work += n.node.pump(loop.now());
        }
      }
      if (work == 0) {
        return;
      }
    }
    throw new IllegalStateException("nodes never went quiet at " + loop.now());
  }

  // ---------------------------------------------------------------- faults

  private void scheduleFault() {
    loop.after(1 + faultRandom.nextLong(params.faultEveryNs()), () -> {
      if (!chaos) {
        return;
      }
      injectFault();
      scheduleFault();
    });
  }

  private long randomNode() {
    List<Long> ids = new ArrayList<>(nodes.keySet());
    return ids.get(faultRandom.nextInt(ids.size()));
  }

  private long later(long minNs, long maxNs) {
    return minNs + faultRandom.nextLong(maxNs - minNs);
  }

  private void injectFault() {
    int kind = faultRandom.nextInt(100);
    long a = randomNode();
    long b = randomNode();
    if (kind < 15) { // isolate a node both ways
      for (long o : nodes.keySet()) {
        if (o != a) {
          net.cut(a, o);
          net.cut(o, a);
        }
      }
      long healIn = later(200_000_000L, 3_000_000_000L);
      loop.after(healIn, () -> {
        for (long o : nodes.keySet()) {
          net.restore(a, o);
          net.restore(o, a);
        }
      });
    } else if (kind < 25) { // one-way cut
      if (a != b) {
        net.cut(a, b);
        loop.after(later(100_000_000L, 2_000_000_000L), () -> net.restore(a, b));
      }
    } else if (kind < 33) { // random bipartition
      TreeSet<Long> side = new TreeSet<>();
      for (long id : nodes.keySet()) {
        if (faultRandom.nextBoolean()) {
          side.add(id);
        }
      }
      for (long x : nodes.keySet()) {
        for (long y : nodes.keySet()) {
          if (side.contains(x) != side.contains(y)) {
            net.cut(x, y);
          }
        }
      }
      loop.after(later(200_000_000L, 3_000_000_000L), () -> {
        for (long x : nodes.keySet()) {
          for (long y : nodes.keySet()) {
            net.restore(x, y);
          }
        }
      });
    } else if (kind < 40) { // clog one link, or swizzle: clog all of a node's links, release in random order
      if (faultRandom.nextBoolean()) {
        net.clog(a, b, loop.now() + later(100_000_000L, 2_000_000_000L));
      } else {
        for (long o : nodes.keySet()) {
          net.clog(a, o, loop.now() + later(100_000_000L, 2_000_000_000L));
          net.clog(o, a, loop.now() + later(100_000_000L, 2_000_000_000L));
        }
      }
    } else if (kind < 52) { // crash, restart later
      crash(a);
      loop.after(later(100_000_000L, 3_000_000_000L), () -> restart(a));
    } else if (kind < 60) { // pause
      SimNode n = nodes.get(a);
      if (n.up() && !n.paused) {
        n.paused = true;
        trace.add(loop.now(), "pause n" + a);
        loop.after(later(100_000_000L, 2_000_000_000L), () -> {
          n.paused = false;
          trace.add(loop.now(), "resume n" + a);
        });
      }
    } else if (kind < 64) { // disk error: the node stops serving; an operator restarts it
      SimNode n = nodes.get(a);
      if (n.up()) {
        n.store.failNextWrite("simulated I/O error");
        trace.add(loop.now(), "disk error armed n" + a);
        loop.after(later(500_000_000L, 2_000_000_000L), () -> {
          crash(a);
          restart(a);
        });
      }
    } else if (kind < 80) { // leadership transfer
      long g = 1 + faultRandom.nextInt(params.groups());
      long target = pick(replicasOf.get(g));
      long leader = leaderGuess.getOrDefault(g, pick(replicasOf.get(g)));
      SimNode n = nodes.get(leader);
      if (n.up()) {
        trace.add(loop.now(), "transfer g" + g + " to n" + target + " via n" + leader);
        n.node.transferLeader(g, target);
      }
    } else if (kind < 90) { // membership: remove a voter, add it back later
      long g = 1 + faultRandom.nextInt(params.groups());
      long victim = pick(replicasOf.get(g));
      long via = leaderGuess.getOrDefault(g, pick(replicasOf.get(g)));
      SimNode n = nodes.get(via);
      if (n.up()) {
        trace.add(loop.now(), "remove n" + victim + " from g" + g + " via n" + via);
        n.node.changeMembership(g, ConfChange.remove(victim)).whenComplete((cs, e) -> {
          trace.add(loop.now(), "remove n" + victim + " from g" + g + ": " + (e == null ? cs : e.getClass().getSimpleName()));
          if (e == null) {
            // A sole voter may not add a voter no replica answers for (Raft refuses: lesson 15),
            // so the victim joins as a learner first and is promoted once it answered.
            boolean learnerFirst = cs.voters().size() == 1;
            loop.after(later(100_000_000L, 1_000_000_000L), () -> addBack(g, victim, 0, learnerFirst));
          }
        });
      }
    } else if (kind < 95) { // a disk that stops answering for a while: its writes wait, the node runs on
      SimNode n = nodes.get(a);
      if (n.up()) {
        MultiRaftNode stalled = n.node;
        stalled.holdLogWrites(true);
        trace.add(loop.now(), "disk stall n" + a);
        // Up to 5 s: past the runtime's bound (four election timeouts) and the followers' own timeout,
        // so that both a slow disk (leaders stay) and a stuck one (leaders move) are met.
        loop.after(later(100_000_000L, 5_000_000_000L), () -> {
          stalled.holdLogWrites(false); // a crash meanwhile dropped this node object: no effect
          trace.add(loop.now(), "disk answers n" + a);
        });
      }
    } else { // nothing this time
      trace.add(loop.now(), "quiet");
    }
  }

  private void addBack(long g, long victim, int attempt, boolean asLearner) {
    long via = leaderGuess.getOrDefault(g, pick(replicasOf.get(g)));
    SimNode n = nodes.get(via);
    if (!n.up() || attempt > 50) {
      if (attempt <= 50) {
        loop.after(200_000_000L, () -> addBack(g, victim, attempt + 1, asLearner));
      }
      return;
    }
    ConfChange cc = asLearner ? ConfChange.addLearner(victim) : ConfChange.addVoter(victim);
    n.node.changeMembership(g, cc).whenComplete((cs, e) -> {
      trace.add(loop.now(), "add back n" + victim + (asLearner ? " as a learner" : "") + " to g" + g + ": "
          + (e == null ? cs : e.getClass().getSimpleName()));
      if (e == null && asLearner) {
        // The promotion is refused until the learner answered (its replica may need creating by
        // the collector, then a snapshot): retried like any refusal.
        loop.after(200_000_000L, () -> addBack(g, victim, 0, false));
      } else if (e != null) {
        Throwable c = e instanceof CompletionException ? e.getCause() : e;
        if (c instanceof RaftException.NotLeader nl && nl.leaderHint() != 0) {
          leaderGuess.put(g, nl.leaderHint());
        }
        loop.after(200_000_000L, () -> addBack(g, victim, attempt + 1, asLearner));
      }
    });
  }

  private long pick(TreeSet<Long> set) {
    int i = faultRandom.nextInt(set.size());
    for (long v : set) {
      if (i-- == 0) {
        return v;
      }
    }
    throw new IllegalStateException();
  }

  private void crash(long id) {
    SimNode n = nodes.get(id);
    if (!n.up()) {
      return;
    }
    // No close(): a crash flushes nothing. The node object is dropped with its unsynced state.
    int kept = n.store.crash(faultRandom.split());
    net.unregister(id);
    n.node = null;
    n.paused = false;
    trace.add(loop.now(), "crash n" + id + " (kept " + kept + " unsynced writes)");
    loop.after(100_000_000L, () -> {
      if (!nodes.get(id).up()) {
        net.reportUnreachable(id); // the peers' transports notice the lost connection
      }
    });
  }

  private void restart(long id) {
    SimNode n = nodes.get(id);
    if (n.up()) {
      return;
    }
    trace.add(loop.now(), "restart n" + id);
    checker.restarted(id);
    n.start();
    // A crash before a group's creation was durable loses it (its future never completed): the
    // operator creates it again. Where it survived, the node answers GroupExists, which is fine.
    for (var e : replicasOf.entrySet()) {
      if (e.getValue().contains(id) && !n.store.groups().contains(e.getKey())) {
        trace.add(loop.now(), "re-create g" + e.getKey() + " on n" + id);
        n.node.createGroup(e.getKey(), e.getValue());
      }
    }
  }

  private void heal() {
    chaos = false;
    clientsRunning = false;
    trace.add(loop.now(), "heal");
    net.healAll();
    for (SimNode n : nodes.values()) {
      n.paused = false;
      if (!n.up()) {
        restart(n.id);
      }
    }
  }

  // ---------------------------------------------------------------- clients

  private void nextOp(int client) {
    if (!clientsRunning) {
      return;
    }
    long g = 1 + clientRandom.nextInt(params.groups());
    String key = "g" + g + "/k" + clientRandom.nextInt(KEYS_PER_GROUP);
    int dice = clientRandom.nextInt(10);
    ClientOp.Kind kind = dice < 4 ? ClientOp.Kind.READ : dice < 8 ? ClientOp.Kind.WRITE : ClientOp.Kind.CAS;
    long value = ++valueSeq;
    Long expected = kind == ClientOp.Kind.CAS && clientRandom.nextInt(4) > 0 ? (Long) Math.max(1, valueSeq - clientRandom.nextInt(5)) : null;
    long target = leaderGuess.getOrDefault(g, pick(replicasOf.get(g), clientRandom));
    SimNode n = nodes.get(target);
    ClientOp op = new ClientOp(client, key, kind, value, expected, loop.now());
    history.add(op);
    if (!n.up()) {
      op.failed = true;
      leaderGuess.remove(g);
      loop.after(1_000_000L + clientRandom.nextLong(20_000_000L), () -> nextOp(client));
      return;
    }
    CompletableFuture<Object> f;
    if (kind == ClientOp.Kind.READ && plantStaleReads && n.machines.get(g) != null) {
      f = CompletableFuture.completedFuture(n.machines.get(g).get(key)); // bug: no read index
    } else if (kind == ClientOp.Kind.READ) {
      f = n.node.read(g, sm -> ((SimKv) sm).get(key));
    } else {
      f = n.node.propose(g, new KvCommand(kind == ClientOp.Kind.CAS, key, value, expected).encode());
    }
    boolean[] finished = {false};
    f.whenComplete((out, e) -> {
      if (finished[0]) {
        return;
      }
      finished[0] = true;
      op.returnNs = loop.now();
      if (e == null) {
        op.output = out;
      } else {
        Throwable c = e instanceof CompletionException ? e.getCause() : e;
        op.error = c.getClass().getSimpleName() + "(" + c.getMessage() + ")";
        if (c instanceof RaftException.NotLeader nl) {
          op.failed = true;
          if (nl.leaderHint() != 0) {
            leaderGuess.put(g, nl.leaderHint());
          } else {
            leaderGuess.remove(g);
          }
        } else if (c instanceof RaftException.Dropped || c instanceof RaftException.Overloaded
            || c instanceof RaftException.GroupNotFound || kind == ClientOp.Kind.READ) {
          op.failed = true; // refused before taking effect (a failed read has no effect anyway)
          leaderGuess.remove(g);
        } else {
          op.unknown = true; // timeout, node stopped: the write may or may not have happened
          op.returnNs = Long.MAX_VALUE;
          leaderGuess.remove(g);
        }
      }
      trace.add(loop.now(), "client " + op);
      loop.after(1_000_000L + clientRandom.nextLong(20_000_000L), () -> nextOp(client));
    });
    // A client gives up on a node that crashed (its future never completes).
    loop.after(2_000_000_000L, () -> {
      if (!finished[0]) {
        finished[0] = true;
        if (kind == ClientOp.Kind.READ) {
          op.failed = true;
        } else {
          op.unknown = true;
        }
        leaderGuess.remove(g);
        trace.add(loop.now(), "client gave up " + op);
        nextOp(client);
      }
    });
  }

  private static long pick(TreeSet<Long> set, SplittableRandom r) {
    int i = r.nextInt(set.size());
    for (long v : set) {
      if (i-- == 0) {
        return v;
      }
    }
    throw new IllegalStateException();
  }

  // ---------------------------------------------------------------- convergence

  private Map<Long, GroupStatus> statuses(long g) {
    Map<Long, CompletableFuture<GroupStatus>> fs = new TreeMap<>();
    for (SimNode n : nodes.values()) {
      if (n.up()) {
        fs.put(n.id, n.node.status(g));
      }
    }
    pumpAll();
    Map<Long, GroupStatus> out = new TreeMap<>();
    for (var e : fs.entrySet()) {
      if (e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
        out.put(e.getKey(), e.getValue().join());
      }
    }
    return out;
  }

  /** Every group has a leader that every member follows, and every member applied its commit. */
  boolean converged() {
    if (loop.now() % 100_000_000L != 0) {
      return false; // look ten times a virtual second: statuses are not free
    }
    for (long g : replicasOf.keySet()) {
      Map<Long, GroupStatus> st = statuses(g);
      GroupStatus leader = null;
      for (GroupStatus s : st.values()) {
        if (s.role() == Role.LEADER) {
          leader = s;
        }
      }
      if (leader == null) {
        return false;
      }
      Long stateHash = null;
      for (long member : leader.conf().voters()) {
        GroupStatus s = st.get(member);
        SimNode n = nodes.get(member);
        if (s == null || s.leader() != leader.nodeId() || s.applied() != leader.commit() || s.commit() != leader.commit()) {
          return false;
        }
        SimKv sm = n.machines.get(g);
        long h = sm == null ? 0 : sm.stateHash();
        if (stateHash == null) {
          stateHash = h;
        } else if (stateHash != h) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * What an embedder's replica collector does once the faults are over: removes the replica of a
   * node the group no longer has as a member (its add-back never happened) and creates an empty
   * replica, for the leader's snapshot to fill, where a member's node has none (its creation was
   * lost in a crash after it joined). Left alone, the first campaigns for ever in its old
   * configuration and the leader keeps probing the second: neither group could ever idle. Like a
   * real collector, it acts on what two looks a second apart both found: a membership change still
   * in flight (an add-back retrying) is not mistaken for a leftover.
   */
  private void collectReplicas() {
    Set<String> found = new HashSet<>();
    for (long g : replicasOf.keySet()) {
      Map<Long, GroupStatus> st = statuses(g);
      GroupStatus leader = st.values().stream().filter(x -> x.role() == Role.LEADER).findFirst().orElse(null);
      if (leader == null) {
        continue;
      }
      for (GroupStatus s : st.values()) {
        if (!leader.conf().isMember(s.nodeId()) && confirmed(found, "remove g" + g + " n" + s.nodeId())) {
          trace.add(loop.now(), "remove the replica of g" + g + " from n" + s.nodeId() + ", no longer a member");
          nodes.get(s.nodeId()).node.removeGroup(g);
          checker.replicaRemoved(s.nodeId(), g);
        }
      }
      for (SimNode n : nodes.values()) {
        if (n.up() && leader.conf().isMember(n.id) && !st.containsKey(n.id) && confirmed(found, "create g" + g + " n" + n.id)) {
          trace.add(loop.now(), "create an empty replica of g" + g + " on member n" + n.id);
          n.node.createGroup(g, new SnapshotMeta(0, 0, ConfState.EMPTY));
        }
      }
    }
    collectorSuspects = found;
    pumpAll();
  }

  private Set<String> collectorSuspects = new HashSet<>();

  private boolean confirmed(Set<String> found, String finding) {
    found.add(finding);
    return collectorSuspects.contains(finding);
  }

  private IdleWatch idleWatch;

  /** The healed cluster went idle (see {@link IdleWatch}); the embedder's collector runs once a second meanwhile. */
  private boolean quiet() {
    if (loop.now() % 100_000_000L != 0) {
      return false;
    }
    if (loop.now() % 1_000_000_000L == 0) {
      collectReplicas();
    }
    pumpAll();
    if (idleWatch == null) {
      idleWatch = new IdleWatch(net);
    }
    long active = 0;
    for (SimNode n : nodes.values()) {
      if (n.up()) {
        active += n.node.activeGroups();
      }
    }
    return idleWatch.idle(loop.now(), active);
  }

  private String describeActivity() {
    StringBuilder sb = new StringBuilder("frames sent " + net.frames + ";");
    for (SimNode n : nodes.values()) {
      if (n.up()) {
        sb.append(" n").append(n.id).append(" active groups ").append(n.node.activeGroups());
      }
    }
    return sb + describeGroups();
  }

  private String describeGroups() {
    StringBuilder sb = new StringBuilder();
    for (long g : replicasOf.keySet()) {
      sb.append("\n  group ").append(g).append(':');
      for (var e : statuses(g).entrySet()) {
        GroupStatus s = e.getValue();
        sb.append(String.format(" n%d[%s t%d lead %d commit %d applied %d last %d %s%s]", e.getKey(), s.role(), s.term(),
            s.leader(), s.commit(), s.applied(), s.lastIndex(), s.conf(), s.role() == Role.LEADER ? " " + s.progress() : ""));
      }
    }
    return sb.toString();
  }
}
