package io.multiraft.rangestore.sim;

import io.multiraft.rangestore.api.AbandonedMerges;
import io.multiraft.rangestore.api.NodeRuntime;
import io.multiraft.rangestore.api.RangeMerger;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.ReplicaCollector;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.ReplicaDescriptor;
import io.multiraft.sim.EventLoop;
import io.multiraft.sim.SimNetwork;
import io.multiraft.sim.Trace;
import io.multiraft.sim.lin.CheckResult;
import io.multiraft.sim.lin.LinearizabilityChecker;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Runs real {@link io.multiraft.rangestore.api.RangeStore} nodes on one thread and virtual time,
 * under one seed: a simulated network (drops, duplicates, delays, partitions, clogs), crashes that
 * lose unsynced log writes, clients through the production client, and an admin nemesis splitting,
 * merging and moving ranges. At the end everything heals; the ranges must converge (a leader each,
 * replicas in agreement, descriptors tiling the key space, no stale replica left) and the clients'
 * history must be linearizable, key by key.
 */
final class RangeSimulation {
  static final long QUANTUM_NS = 1_000_000L;
  static final long FIRST_RANGE = 1;
  private static final long MAX_LIN_STEPS_PER_KEY = 2_000_000;

  final long seed;
  final RangeSimParams params;
  final EventLoop loop = new EventLoop(1_000_000_000L);
  final Trace trace = new Trace();
  final SimNetwork net;
  final Fibers fibers = new Fibers(loop);
  final NodeRuntime runtime;
  final TreeMap<Long, SimStoreNode> nodes = new TreeMap<>();
  final LiveNodes live = new LiveNodes();
  private final SplittableRandom faultRandom;
  private final SimClients clients;
  private final SimNemesis nemesis;
  private final ConvergenceCheck convergence;
  private boolean chaos = true;
  private final boolean printTrace;
  String failure;

  RangeSimulation(long seed, boolean printTrace) {
    this.seed = seed;
    this.printTrace = printTrace;
    SplittableRandom master = new SplittableRandom(seed);
    this.params = RangeSimParams.from(master.split());
    this.faultRandom = master.split();
    this.net = new SimNetwork(loop, master.split(), trace);
    net.dropRate = params.dropRate();
    net.duplicateRate = params.duplicateRate();
    net.maxLatencyNs = Math.max(net.minLatencyNs + 1, params.maxLatencyNs());
    this.runtime = new NodeRuntime(loop::now, (delayNs, task) -> loop.after(delayNs, task), fibers, false, seed * 31 + 7);
    this.clients = new SimClients(this, master.split());
    this.nemesis = new SimNemesis(this, master.split());
    this.convergence = new ConvergenceCheck(this);
  }

  void trace(String event) {
    trace.add(loop.now(), event);
    if (printTrace) {
      System.out.printf("%9.3fms %s%n", loop.now() / 1e6, event);
    }
  }

  /** Runs the whole scenario; null if every check passed, else what failed ("cause: detail"). */
  String run() {
    try {
      setup();
      long chaosEnd = loop.now() + params.chaosNs();
      scheduleFault();
      clients.start(params.clients());
      nemesis.start();
      startCollector();
      runUntil(chaosEnd, () -> false);
      heal();
      if (failure == null && !runUntil(loop.now() + 30_000_000_000L, fibers::allDone)) {
        fail("liveness: coordinators or clients still blocked 30 s after healing");
      }
      if (failure == null && !runUntil(loop.now() + 60_000_000_000L, convergence::converged)) {
        for (SimStoreNode n : nodes.values()) {
          StringBuilder sb = new StringBuilder("states of n" + n.id + ":");
          for (var st : n.data().allStates()) {
            sb.append(' ').append(st.descriptor()).append(st.frozen() ? " FROZEN" : "").append(" applied ").append(st.appliedIndex());
          }
          trace(sb.toString());
          if (n.up()) {
            for (long g : n.log.groups()) {
              var f = n.store.raft().status(g);
              pumpAll();
              trace("  raft of n" + n.id + " g" + g + ": " + (f.isDone() ? f.handle((v, e) -> e == null ? v.toString() : e.toString()).join() : "no answer"));
            }
          }
        }
        fail("liveness: ranges did not converge within 60 s after healing: " + convergence.lastProblem);
      }
      if (failure == null && !runUntil(loop.now() + 30_000_000_000L, this::quiet)) {
        StringBuilder sb = new StringBuilder();
        for (SimStoreNode n : nodes.values()) {
          if (n.up()) {
            sb.append(" n").append(n.id).append(" active ").append(n.store.raft().activeGroups()).append(" of ").append(n.store.raft().groupCount()).append(" groups, ").append(n.store.localRangeIds().size()).append(" range states;");
          }
        }
        traceStatuses();
        fail("idle: ranges did not quiesce, or the network did not go silent, within 30 s of converging:" + sb);
      }
      if (failure == null) {
        finalReads();
      }
      if (failure == null) {
        checkHistory();
      }
    } catch (RuntimeException e) {
      fail("exception escaped: " + e);
      trace("EXCEPTION " + stackOf(e));
    } finally {
      fibers.killAll();
      for (SimStoreNode n : nodes.values()) {
        n.close();
      }
    }
    return failure;
  }

  void fail(String why) {
    if (failure == null) {
      failure = why;
      trace("FAIL " + why);
    }
  }

  static String stackOf(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  /** Every live replica's Raft status (leaders with their followers' progress), for a failure's trace. */
  private void traceStatuses() {
    java.util.Map<String, java.util.concurrent.CompletableFuture<io.multiraft.core.GroupStatus>> asked = new java.util.TreeMap<>();
    for (SimStoreNode n : nodes.values()) {
      if (n.up()) {
        for (long id : n.store.localRangeIds()) {
          asked.put("n" + n.id + " r" + id, n.store.raft().status(id));
        }
      }
    }
    runUntil(loop.now() + 100_000_000L, () -> asked.values().stream().allMatch(java.util.concurrent.CompletableFuture::isDone));
    asked.forEach((who, f) -> {
      io.multiraft.core.GroupStatus st = f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
      trace(who + " " + (st == null ? "(no status)" : st.role() + " t" + st.term() + " lead " + st.leader() + " commit "
          + st.commit() + " applied " + st.applied() + " last " + st.lastIndex() + " " + st.conf()
          + (st.role() == io.multiraft.core.Role.LEADER ? " " + st.progress() : "")));
    });
  }

  private io.multiraft.sim.IdleWatch idleWatch;

  /** The healed cluster went idle: every range quiesced, no frame for a second (see {@code IdleWatch}). */
  private boolean quiet() {
    if (loop.now() % 100_000_000L != 0) {
      return false;
    }
    if (idleWatch == null) {
      idleWatch = new io.multiraft.sim.IdleWatch(net);
    }
    long active = 0;
    for (SimStoreNode n : nodes.values()) {
      if (n.up()) {
        active += n.store.raft().activeGroups();
      }
    }
    return idleWatch.idle(loop.now(), active);
  }

  /**
   * The stale-replica collector, a background coordinator sweeping every virtual second until the
   * end; then, as a server's collector thread does, each live node resolves the merges nobody
   * finishes for the frozen ranges it leads (a node's memory of them goes with a restart).
   */
  private void startCollector() {
    ReplicaCollector collector = new ReplicaCollector(live, runtime);
    RangeMerger resolver = new RangeMerger(live, SimNemesis.ADMIN_TIMEOUT_MS, runtime);
    Map<RangeStore, AbandonedMerges> abandoned = new IdentityHashMap<>();
    long abandonedAfterNs = 3 * SimNemesis.ADMIN_TIMEOUT_MS * 1_000_000L;
    fibers.start("collector", () -> {
      while (true) {
        runtime.blocking().pause(1_000_000_000L);
        int acted = collector.sweep();
        if (acted > 0) {
          trace("collector acted " + acted + " (dropped " + collector.dropped() + ", created " + collector.created() + " so far)");
        }
        abandoned.keySet().retainAll(new ArrayList<>(live.values()));
        for (RangeStore s : new ArrayList<>(live.values())) {
          AbandonedMerges a = abandoned.computeIfAbsent(s, k -> new AbandonedMerges(k, resolver, runtime, abandonedAfterNs));
          long before = a.resolved();
          a.sweep();
          if (a.resolved() > before) {
            trace("node " + s.nodeId() + " resolved an abandoned merge");
          }
        }
      }
    }, true);
  }

  private void setup() {
    for (long id = 1; id <= params.nodes(); id++) {
      SimStoreNode n = new SimStoreNode(id);
      nodes.put(id, n);
      start(n);
    }
    List<ReplicaDescriptor> rs = new ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      rs.add(new ReplicaDescriptor(id, ReplicaDescriptor.Role.VOTER));
    }
    RangeDescriptor first = new RangeDescriptor(FIRST_RANGE, Keys.MIN, null, rs, 0);
    for (long id = 1; id <= 3; id++) {
      nodes.get(id).store.bootstrapRange(first);
    }
    trace("params " + params);
  }

  private void start(SimStoreNode n) {
    n.start(net, runtime, params.tickMs(), params.snapshotEvery());
    live.put(n.id, n.store);
  }

  /** Advances virtual time in quanta, pumping every live node, until {@code done} or {@code end}. */
  boolean runUntil(long end, BooleanSupplier done) {
    while (loop.now() < end) {
      loop.advanceTo(loop.now() + QUANTUM_NS);
      pumpAll();
      if (VERBOSE) {
        traceStateChanges();
      }
      if (fibers.escaped != null) {
        fail("exception escaped from " + fibers.escapedFrom + ": " + fibers.escaped);
        trace("EXCEPTION " + stackOf(fibers.escaped));
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

  private static final boolean VERBOSE = Boolean.getBoolean("sim.verbose");
  private final java.util.HashMap<String, String> lastStates = new java.util.HashMap<>();

  /** Debugging aid (-Dsim.verbose=true): traces every change of a replica's descriptor, freeze or presence. */
  private void traceStateChanges() {
    java.util.HashSet<String> seen = new java.util.HashSet<>();
    for (SimStoreNode n : nodes.values()) {
      for (var st : n.data().allStates()) {
        String k = "n" + n.id + " r" + st.descriptor().rangeId();
        seen.add(k);
        String v = st.descriptor() + (st.frozen() ? " FROZEN" : "") + " conf " + st.conf();
        String old = lastStates.put(k, v);
        if (!v.equals(old)) {
          trace("STATE " + k + " -> " + v + " applied " + st.appliedIndex() + (n.up() ? "" : " (down)"));
        }
      }
    }
    java.util.TreeMap<String, java.util.concurrent.CompletableFuture<io.multiraft.core.GroupStatus>> fs = new java.util.TreeMap<>();
    for (SimStoreNode n : nodes.values()) {
      if (n.up()) {
        for (long g : n.log.groups()) {
          fs.put("n" + n.id + " g" + g, n.store.raft().status(g));
        }
      }
    }
    pumpAll();
    for (var e : fs.entrySet()) {
      if (e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
        var g = e.getValue().join();
        String k = e.getKey();
        seen.add(k);
        String v = g.role() + " term " + g.term() + " leader " + g.leader() + " last " + g.lastIndex() + " conf " + g.conf();
        String old = lastStates.put(k, v);
        if (!v.equals(old)) {
          trace("RAFT " + k + " -> " + v + " commit " + g.commit() + " applied " + g.applied());
        }
      }
    }
    for (var it = lastStates.entrySet().iterator(); it.hasNext();) {
      var e = it.next();
      if (!seen.contains(e.getKey())) {
        trace("STATE " + e.getKey() + " -> gone");
        it.remove();
      }
    }
  }

  void pumpAll() {
    for (int round = 0; round < 10_000; round++) {
      int work = 0;
      for (SimStoreNode n : nodes.values()) {
        if (n.up()) {
          work += n.store.raft().pump(loop.now());
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
    if (kind < 20) { // isolate a node
      for (long o : nodes.keySet()) {
        if (o != a) {
          net.cut(a, o);
          net.cut(o, a);
        }
      }
      loop.after(later(200_000_000L, 2_000_000_000L), () -> {
        for (long o : nodes.keySet()) {
          net.restore(a, o);
          net.restore(o, a);
        }
      });
    } else if (kind < 30) { // one-way cut
      if (a != b) {
        net.cut(a, b);
        loop.after(later(100_000_000L, 1_500_000_000L), () -> net.restore(a, b));
      }
    } else if (kind < 40) { // clog a link
      if (a != b) {
        net.clog(a, b, loop.now() + later(50_000_000L, 1_000_000_000L));
      }
    } else if (kind < 60) { // crash, restart later
      crash(a);
      loop.after(later(100_000_000L, 2_000_000_000L), () -> restart(a));
    } else {
      trace("quiet");
    }
  }

  private void crash(long id) {
    SimStoreNode n = nodes.get(id);
    if (!n.up()) {
      return;
    }
    live.remove(id);
    net.unregister(id);
    int kept = n.crash(faultRandom.split());
    trace("crash n" + id + " (kept " + kept + " unsynced writes)");
    loop.after(100_000_000L, () -> {
      if (!nodes.get(id).up()) {
        net.reportUnreachable(id);
      }
    });
  }

  private void restart(long id) {
    SimStoreNode n = nodes.get(id);
    if (n.up()) {
      return;
    }
    trace("restart n" + id);
    start(n);
  }

  private void heal() {
    chaos = false;
    clients.running = false;
    nemesis.running = false;
    trace("heal");
    net.healAll();
    for (SimStoreNode n : nodes.values()) {
      if (!n.up()) {
        restart(n.id);
      }
    }
  }

  // ---------------------------------------------------------------- final checks

  private void finalReads() {
    List<String> failures = new ArrayList<>();
    fibers.start("final-reads", () -> clients.finalReads(failures));
    if (!runUntil(loop.now() + 30_000_000_000L, fibers::allDone)) {
      fail("liveness: final reads did not finish");
    } else if (!failures.isEmpty()) {
      for (SimStoreNode n : nodes.values()) {
        trace("routing of n" + n.id + ": " + n.store.router().ranges() + "; states " + n.store.localRangeIds());
        String k = failures.get(0).replaceAll("^.*final read of (\\w+) .*$", "$1");
        try {
          var f = n.store.get(SimClients.key(k));
          runUntil(loop.now() + 500_000_000L, f::isDone);
          trace("  direct get " + k + " on n" + n.id + ": " + (f.isDone() ? f.handle((v, e) -> e == null ? "ok" : e.toString()).join() : "no answer"));
        } catch (RuntimeException e) {
          trace("  direct get " + k + " on n" + n.id + ": " + e);
        }
      }
      fail(failures.get(0));
    }
  }

  private void checkHistory() {
    CheckResult r = LinearizabilityChecker.forRegisters().withMaxStepsPerKey(MAX_LIN_STEPS_PER_KEY).check(clients.history);
    trace("history: " + clients.ok + " ok, " + clients.unknown + " unknown; splits " + nemesis.splits + ", merges "
        + nemesis.merges + ", moves " + nemesis.moves + "; verdict " + r.verdict());
    if (r.isIllegal()) {
      fail("linearizability: key " + r.key() + ": " + r.explanation());
    }
  }

  String summary() {
    return "splits " + nemesis.splits + " merges " + nemesis.merges + " moves " + nemesis.moves + " ops ok " + clients.ok
        + " unknown " + clients.unknown;
  }

  TreeSet<Long> upNodes() {
    TreeSet<Long> out = new TreeSet<>();
    for (SimStoreNode n : nodes.values()) {
      if (n.up()) {
        out.add(n.id);
      }
    }
    return out;
  }
}
