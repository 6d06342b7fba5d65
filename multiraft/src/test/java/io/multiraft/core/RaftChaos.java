package io.multiraft.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A seeded randomized run of a {@link TestCluster}: ticks, Ready handling, delivery of one message
 * at a time in random order with loss and duplication, partitions, crashes with loss of everything
 * unpersisted, proposals, forced campaigns, and log compaction (so that snapshots are sent, and
 * reported by the "link" as a transport would). After every step it checks the chosen safety claims
 * of the Raft paper (§5.2–5.4, Figure 3) and throws an {@link AssertionError} naming the seed and
 * step. Reproducible: everything random comes from the seed.
 */
final class RaftChaos {
  /** The safety claims of Raft paper Figure 3. */
  enum Claim {
    ELECTION_SAFETY,
    LEADER_APPEND_ONLY,
    LOG_MATCHING,
    LEADER_COMPLETENESS,
    STATE_MACHINE_SAFETY,
    /** Paper §8: a read-only query answered through ReadIndex sees every write committed before it was issued. */
    READ_INDEX_LINEARIZABLE
  }

  /** What a run saw, so that tests can require that it exercised something. */
  static final class Coverage {
    final Set<Long> termsWithLeader = new HashSet<>();
    /** Sum over runs of the number of distinct terms that had a leader. */
    long electedTerms;
    long leaderChecks;
    long committedEntries;
    long appliedEntries;
    long completenessChecks;
    long matchingPrefixEntries;
    long leaderLogGrowth;
    long compactions;
    long snapshotsSent;
    long confChanges;
    long readsAnswered;

    void add(Coverage o) {
      electedTerms += o.termsWithLeader.size();
      leaderChecks += o.leaderChecks;
      committedEntries += o.committedEntries;
      appliedEntries += o.appliedEntries;
      completenessChecks += o.completenessChecks;
      matchingPrefixEntries += o.matchingPrefixEntries;
      leaderLogGrowth += o.leaderLogGrowth;
      compactions += o.compactions;
      snapshotsSent += o.snapshotsSent;
      confChanges += o.confChanges;
      readsAnswered += o.readsAnswered;
    }

    @Override
    public String toString() {
      return "electedTerms=" + electedTerms + " leaderChecks=" + leaderChecks + " committed=" + committedEntries + " applied=" + appliedEntries
          + " completenessChecks=" + completenessChecks + " matchingPrefix=" + matchingPrefixEntries
          + " leaderLogGrowth=" + leaderLogGrowth + " compactions=" + compactions + " snapshotsSent=" + snapshotsSent + " confChanges=" + confChanges + " readsAnswered=" + readsAnswered;
    }
  }

  final long seed;
  final TestCluster c;
  private final SplittableRandom rnd;
  private final EnumSet<Claim> claims;
  private final boolean membershipChanges;
  private final boolean asyncStorage;
  /** Asynchronous mode: each replica's Ready being written, and its committed entries waiting to be applied. */
  private final Map<Long, Ready> writing = new HashMap<>();
  private final Map<Long, ArrayDeque<Entry>> toApply = new HashMap<>();
  final Coverage coverage = new Coverage();
  /** Distinct (term, leader) pairs seen across the run. */
  final Map<Long, Long> leaderOfTerm = new HashMap<>();
  private final Map<Long, Long> leaderLogTerm = new HashMap<>();
  private final Map<Long, Log> leaderLog = new HashMap<>();
  /** Every entry known committed, by index, and the highest term in the cluster when first seen so. */
  private final TreeMap<Long, Entry> committed = new TreeMap<>();
  private final Map<Long, Long> committedBeforeTerm = new HashMap<>();
  private final Map<Long, Entry> applied = new HashMap<>();
  private int step;
  private int proposals;
  /** Highest index known committed anywhere so far: what every later read must see. */
  private long globalCommit;
  private long readContexts;
  /** Outstanding read requests: context to the global commit index when issued. */
  private final Map<Long, Long> readsIssuedAt = new HashMap<>();

  RaftChaos(long seed, EnumSet<Claim> claims) {
    this(seed, claims, false, false);
  }

  /**
   * With {@code membershipChanges}, a five-replica cluster also promotes and demotes replicas
   * between voter and learner, one at a time or several at once through joint consensus. With
   * {@code asyncStorage}, replicas persist and apply as the node runtime does: a Ready is written
   * while messages keep arriving, {@link RaftGroup#advancePersisted} follows later, and committed
   * entries are applied later still and reported with {@link RaftGroup#reportApplied}.
   */
  RaftChaos(long seed, EnumSet<Claim> claims, boolean membershipChanges, boolean asyncStorage) {
    this.membershipChanges = membershipChanges;
    this.asyncStorage = asyncStorage;
    this.seed = seed;
    this.rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
    this.claims = claims;
    int voters = membershipChanges || seed % 2 == 1 ? 5 : 3;
    boolean preVote = (seed / 2) % 2 == 0;
    boolean checkQuorum = (seed / 4) % 2 == 0;
    int electionTicks = 4 + (int) (seed % 3);
    this.c = new TestCluster(voters, b -> b.electionTicks(electionTicks).heartbeatTicks(1).preVote(preVote)
        .checkQuorum(checkQuorum).maxSizePerMsgBytes(3 * (Entry.OVERHEAD_BYTES + 4)).maxInflightMsgs(4), seed);
  }

  /** Runs {@code steps} random steps, checking the claims after each; then heals and checks liveness. */
  RaftChaos run(int steps) {
    for (step = 0; step < steps; step++) {
      try {
        randomStep();
        check();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " step " + step + ": " + e.getMessage(), e);
      }
    }
    coverage.snapshotsSent = c.sent.stream().filter(m -> m.type == MessageType.SNAPSHOT).count();
    return this;
  }

  private List<Long> live() {
    List<Long> out = new ArrayList<>();
    for (TestCluster.Node n : c.nodes.values()) {
      if (!n.crashed) {
        out.add(n.id);
      }
    }
    return out;
  }

  private long anyLive() {
    List<Long> l = live();
    return l.get(rnd.nextInt(l.size()));
  }

  private void randomStep() {
    int r = rnd.nextInt(1000);
    if (r < 50) {
      c.tick(anyLive());
    } else if (r < 150) {
      for (long id : live()) { // time passes everywhere
        c.tick(id);
      }
    } else if (r < 300) {
      processReady(anyLive());
    } else if (r < 400) {
      for (long id : live()) {
        processReady(id);
      }
    } else if (r < 750) {
      deliverOne();
    } else if (r < 830) {
      int size = c.network.size();
      for (int i = 0; i < size; i++) {
        deliverOne();
      }
    } else if (r < 870 && claims.contains(Claim.READ_INDEX_LINEARIZABLE)) {
      // Mostly at a leader (perhaps a deposed one: the interesting case), sometimes anywhere.
      List<Long> leaders = new ArrayList<>();
      for (long id : live()) {
        if (c.group(id).role() == Role.LEADER) {
          leaders.add(id);
        }
      }
      long at = !leaders.isEmpty() && rnd.nextInt(10) < 8 ? leaders.get(rnd.nextInt(leaders.size())) : anyLive();
      long ctx = ++readContexts;
      if (c.group(at).readIndex(ctx) == ProposeResult.ACCEPTED) {
        readsIssuedAt.put(ctx, globalCommit);
      }
    } else if (r < 910) {
      // Mostly to a leader (perhaps a deposed one), sometimes to anyone.
      long to = anyLive();
      for (long id : live()) {
        if (c.group(id).role() == Role.LEADER && rnd.nextInt(10) < 8) {
          to = id;
        }
      }
      c.group(to).propose(TestCluster.bytes("p" + (++proposals)));
    } else if (r < 925) {
      c.heal();
      if (rnd.nextBoolean()) {
        Set<Long> side = new HashSet<>();
        for (long id : c.nodes.keySet()) {
          if (rnd.nextBoolean()) {
            side.add(id);
          }
        }
        c.partition(side);
      }
    } else if (r < 955) {
      List<Long> crashed = new ArrayList<>();
      for (TestCluster.Node n : c.nodes.values()) {
        if (n.crashed) {
          crashed.add(n.id);
        }
      }
      if (!crashed.isEmpty() && (rnd.nextBoolean() || crashed.size() * 2 >= c.nodes.size() - 1)) {
        restart(crashed.get(rnd.nextInt(crashed.size())));
      } else {
        c.crash(anyLive());
      }
    } else if (r < 975) {
      c.group(anyLive()).campaign();
    } else if (membershipChanges && rnd.nextBoolean()) {
      changeMembership();
    } else {
      compact(anyLive());
    }
  }

  /** Asks the leader (if any) to demote a voter or promote a learner, sometimes two at once. */
  private void changeMembership() {
    for (long id : live()) {
      RaftGroup g = c.group(id);
      if (g.role() != Role.LEADER) {
        continue;
      }
      ConfState cs = g.confState();
      List<ConfChange.Single> changes = new ArrayList<>();
      int voters = cs.voters().size();
      int wanted = 1 + rnd.nextInt(2);
      for (int k = 0; k < 20 && changes.size() < wanted; k++) {
        long target = 1 + rnd.nextInt(c.nodes.size());
        if (changes.stream().anyMatch(ch -> ch.nodeId() == target)) {
          continue;
        }
        if (cs.learners().contains(target)) {
          changes.add(new ConfChange.Single(ConfChange.Type.ADD_VOTER, target));
          voters++;
        } else if (cs.voters().contains(target) && voters > 3) {
          changes.add(new ConfChange.Single(ConfChange.Type.ADD_LEARNER, target));
          voters--;
        }
      }
      if (!changes.isEmpty()) {
        ConfChange.Transition t = rnd.nextInt(4) == 0 ? ConfChange.Transition.JOINT_IMPLICIT : ConfChange.Transition.AUTO;
        if (g.proposeConfChange(new ConfChange(t, changes)) == ProposeResult.ACCEPTED) {
          coverage.confChanges++;
        }
      }
      return;
    }
  }

  /** Snapshots a replica's state machine and compacts its log up to what it applied, less a random margin. */
  private void compact(long id) {
    TestCluster.Node n = c.node(id);
    ArrayDeque<Entry> queue = toApply.get(id);
    if (n.applied.isEmpty() || (queue != null && !queue.isEmpty())) {
      return; // with entries handed off but unapplied, the membership in force is ahead of the applied one
    }
    // The snapshot's membership must be the one as of its index: with membership changes, take it
    // exactly at the applied index, where the replica's configuration is the applied one.
    long index = n.applied.get(n.applied.size() - 1).index() - (membershipChanges ? 0 : rnd.nextInt(3));
    if (index >= n.storage.firstIndex()) {
      n.storage.createSnapshot(index, n.group.confState(), TestCluster.bytes("state@" + index));
      n.storage.compact(index);
      coverage.compactions++;
    }
  }

  /** Delivers one queued message, picked at random; it may be lost (10%) or duplicated (3%). */
  private void deliverOne() {
    if (c.network.isEmpty()) {
      return;
    }
    int k = rnd.nextInt(c.network.size());
    Iterator<Message> it = c.network.iterator();
    Message m = it.next();
    for (int i = 0; i < k; i++) {
      m = it.next();
    }
    it.remove();
    int fate = rnd.nextInt(100);
    if (fate >= 10 && fate < 13) {
      c.network.addLast(m);
    }
    transmit(m, fate < 10);
  }

  /** Restarts a crashed replica from its storage: an unfinished write and unapplied entries are lost. */
  private void restart(long id) {
    c.restart(id);
    writing.remove(id);
    toApply.remove(id);
  }

  /**
   * Synchronous mode: handles one whole Ready of {@code id}. Asynchronous mode: takes one step of
   * the pipeline, chosen at random (hand out a Ready, finish its write, or apply a few entries).
   */
  private boolean processReady(long id) {
    if (asyncStorage) {
      int first = rnd.nextInt(3);
      for (int i = 0; i < 3; i++) { // the first of the three, in a random order, that has work
        boolean did = switch ((first + i) % 3) {
          case 0 -> beginWrite(id);
          case 1 -> finishWrite(id);
          default -> applySome(id, 1 + rnd.nextInt(3));
        };
        if (did) {
          return true;
        }
      }
      return false;
    }
    if (!c.processReady(id)) {
      return false;
    }
    checkReadStates(id, c.readyLog.get(c.readyLog.size() - 1));
    return true;
  }

  /** Asynchronous mode: takes a Ready, sends its messages and starts "writing" it. */
  private boolean beginWrite(long id) {
    TestCluster.Node n = c.node(id);
    if (n.crashed || writing.containsKey(id) || !n.group.hasReady()) {
      return false;
    }
    Ready rd = n.group.ready();
    c.readyLog.add(rd);
    checkReadStates(id, rd);
    send(rd.messages());
    writing.put(id, rd);
    return true;
  }

  /** Asynchronous mode: the write finished: acknowledge, hand committed entries off, advance. */
  private boolean finishWrite(long id) {
    TestCluster.Node n = c.node(id);
    Ready rd = writing.get(id);
    if (n.crashed || rd == null) {
      return false;
    }
    writing.remove(id);
    ArrayDeque<Entry> queue = toApply.computeIfAbsent(id, k -> new ArrayDeque<>());
    if (rd.snapshot() != null) {
      n.storage.applySnapshot(rd.snapshot());
      n.applied.clear(); // the state machine is replaced by the snapshot's
      queue.clear();
    }
    n.storage.append(rd.entries());
    if (rd.hardState() != null) {
      n.storage.setHardState(rd.hardState());
    }
    send(rd.persistedMessages());
    for (Entry e : rd.committedEntries()) {
      if (e.type() == EntryType.CONF_CHANGE) {
        n.group.applyConfChange(e); // membership changes take effect when handed off, in order
      }
      queue.addLast(e);
    }
    n.group.advancePersisted(rd);
    return true;
  }

  /** Asynchronous mode: the state machine applies up to {@code max} entries and reports it. */
  private boolean applySome(long id, int max) {
    TestCluster.Node n = c.node(id);
    ArrayDeque<Entry> queue = toApply.get(id);
    if (n.crashed || queue == null || queue.isEmpty()) {
      return false;
    }
    for (int i = 0; i < max && !queue.isEmpty(); i++) {
      Entry e = queue.pollFirst();
      n.applied.add(e);
      n.group.reportApplied(e.index());
    }
    return true;
  }

  private void send(List<Message> msgs) {
    for (Message m : msgs) {
      c.sent.add(m);
      c.network.addLast(m);
    }
  }

  private void checkReadStates(long id, Ready rd) {
    for (ReadState rs : rd.readStates()) {
      Long issuedAt = readsIssuedAt.get(rs.context());
      if (issuedAt == null) {
        throw new AssertionError("node " + id + " answered read " + rs.context() + " that nobody issued");
      }
      if (claims.contains(Claim.READ_INDEX_LINEARIZABLE) && rs.index() < issuedAt) {
        throw new AssertionError("node " + id + " answered read " + rs.context() + " at index " + rs.index()
            + ", but index " + issuedAt + " was committed before the read was issued");
      }
      coverage.readsAnswered++;
    }
  }

  /** Hands {@code m} to its recipient unless lost, cut off or crashed; reports snapshot sends. */
  private void transmit(Message m, boolean lost) {
    TestCluster.Node to = c.nodes.get(m.to);
    boolean delivered = !lost && to != null && !to.crashed && !c.cut.contains(m.from + "->" + m.to);
    if (delivered) {
      to.group.step(m);
    }
    TestCluster.Node from = c.nodes.get(m.from);
    if (m.type == MessageType.SNAPSHOT && !from.crashed) {
      // As a transport does: snapshots travel on their own link, which reports how the send went.
      from.group.reportSnapshot(m.to, delivered);
    }
  }

  /** {@link TestCluster#stabilize()} with a transport that reports snapshot sends. */
  private void stabilize() {
    for (int round = 0; round < 10_000; round++) {
      boolean moved = false;
      for (long id : c.nodes.keySet()) {
        if (asyncStorage) {
          while (finishWrite(id) | applySome(id, Integer.MAX_VALUE) | beginWrite(id)) {
            moved = true;
          }
        } else {
          while (processReady(id)) {
            moved = true;
          }
        }
      }
      int size = c.network.size();
      for (int i = 0; i < size; i++) {
        transmit(c.network.pollFirst(), false);
        moved = true;
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("cluster did not stabilize");
  }

  // ---------------------------------------------------------------- claims

  /** A replica's log as the core sees it: entries from {@code first} on (earlier ones compacted). */
  record Log(long first, List<Entry> entries) {
    long last() {
      return first + entries.size() - 1;
    }

    /** The entry at {@code i}, or null if compacted or beyond the end. */
    Entry at(long i) {
      return i < first || i > last() ? null : entries.get((int) (i - first));
    }

    static Log of(RaftGroup g) {
      return new Log(g.raft().log.firstIndex(), ClusterOps.log(g));
    }
  }

  private void check() {
    long maxTerm = 0;
    for (TestCluster.Node n : c.nodes.values()) {
      maxTerm = Math.max(maxTerm, n.group.term());
      globalCommit = Math.max(globalCommit, n.group.commitIndex());
    }
    Map<Long, Log> logs = new TreeMap<>();
    for (long id : live()) {
      logs.put(id, Log.of(c.group(id)));
    }
    if (claims.contains(Claim.ELECTION_SAFETY)) {
      checkElectionSafety();
    }
    if (claims.contains(Claim.LEADER_APPEND_ONLY)) {
      checkLeaderAppendOnly(logs);
    }
    if (claims.contains(Claim.LOG_MATCHING)) {
      checkLogMatching(logs);
    }
    if (claims.contains(Claim.LEADER_COMPLETENESS)) {
      checkLeaderCompleteness(logs, maxTerm);
    }
    if (claims.contains(Claim.STATE_MACHINE_SAFETY)) {
      checkStateMachineSafety();
    }
  }

  /** §5.2: at most one leader can be elected in a given term. */
  private void checkElectionSafety() {
    for (TestCluster.Node n : c.nodes.values()) {
      if (n.group.role() == Role.LEADER) {
        coverage.leaderChecks++;
        coverage.termsWithLeader.add(n.group.term());
        Long prev = leaderOfTerm.putIfAbsent(n.group.term(), n.id);
        if (prev != null && prev != n.id) {
          throw new AssertionError("two leaders in term " + n.group.term() + ": " + prev + " and " + n.id);
        }
      }
    }
  }

  /**
   * §5.3: a leader never overwrites or deletes entries in its log; it only appends. Compaction of
   * applied entries into a snapshot is not deletion: only entries still in both views are compared.
   */
  private void checkLeaderAppendOnly(Map<Long, Log> logs) {
    for (TestCluster.Node n : c.nodes.values()) {
      if (n.crashed || n.group.role() != Role.LEADER) {
        leaderLog.remove(n.id);
        leaderLogTerm.remove(n.id);
        continue;
      }
      Log now = logs.get(n.id);
      Long term = leaderLogTerm.get(n.id);
      if (term != null && term == n.group.term()) {
        Log before = leaderLog.get(n.id);
        if (now.last() < before.last()) {
          throw new AssertionError("leader " + n.id + " of term " + term + " shortened its log from " + show(before.entries())
              + " to " + show(now.entries()));
        }
        for (long i = Math.max(before.first(), now.first()); i <= before.last(); i++) {
          if (!before.at(i).equals(now.at(i))) {
            throw new AssertionError("leader " + n.id + " of term " + term + " replaced " + show(before.at(i)) + " by " + show(now.at(i)));
          }
        }
        coverage.leaderLogGrowth += now.last() - before.last();
      }
      leaderLogTerm.put(n.id, n.group.term());
      leaderLog.put(n.id, now);
    }
  }

  /** §5.3: if two logs contain an entry with the same index and term, the logs are identical up to it. */
  private void checkLogMatching(Map<Long, Log> logs) {
    List<Long> ids = new ArrayList<>(logs.keySet());
    for (int x = 0; x < ids.size(); x++) {
      for (int y = x + 1; y < ids.size(); y++) {
        Log a = logs.get(ids.get(x));
        Log b = logs.get(ids.get(y));
        long lo = Math.max(a.first(), b.first());
        long highestSame = lo - 1;
        for (long i = Math.min(a.last(), b.last()); i >= lo; i--) {
          if (a.at(i).term() == b.at(i).term()) {
            highestSame = i;
            break;
          }
        }
        // Every lower common (index, term) lies in this range, so checking it covers them all.
        for (long i = lo; i <= highestSame; i++) {
          if (!a.at(i).equals(b.at(i))) {
            throw new AssertionError("nodes " + ids.get(x) + " and " + ids.get(y) + " agree on entry "
                + show(a.at(highestSame)) + " but differ at index " + i + ": " + show(a.at(i)) + " vs " + show(b.at(i)));
          }
        }
        coverage.matchingPrefixEntries += highestSame - lo + 1;
      }
    }
  }

  /** §5.4: an entry committed in some term is in the log of every leader of a higher term. */
  private void checkLeaderCompleteness(Map<Long, Log> logs, long maxTerm) {
    for (Map.Entry<Long, Log> e : logs.entrySet()) {
      Log log = e.getValue();
      long commit = c.group(e.getKey()).commitIndex();
      for (long i = log.first(); i <= commit; i++) {
        Entry ent = log.at(i);
        Entry prev = committed.putIfAbsent(i, ent);
        if (prev == null) {
          // It was committed in some term <= maxTerm: leaders of later terms must hold it.
          committedBeforeTerm.put(i, maxTerm);
          coverage.committedEntries++;
        } else if (!prev.equals(ent)) {
          throw new AssertionError("node " + e.getKey() + " has " + show(ent) + " at committed index " + i + ", known committed " + show(prev));
        }
      }
    }
    for (Map.Entry<Long, Log> e : logs.entrySet()) {
      RaftGroup g = c.group(e.getKey());
      if (g.role() != Role.LEADER) {
        continue;
      }
      Log log = e.getValue();
      for (Map.Entry<Long, Entry> ce : committed.tailMap(log.first()).entrySet()) {
        if (committedBeforeTerm.get(ce.getKey()) >= g.term()) {
          continue;
        }
        coverage.completenessChecks++;
        Entry have = log.at(ce.getKey());
        if (have == null || !have.equals(ce.getValue())) {
          throw new AssertionError("leader " + e.getKey() + " of term " + g.term() + " lacks committed entry " + show(ce.getValue())
              + " (has " + (have == null ? "nothing" : show(have)) + ")");
        }
      }
    }
  }

  /** §5.4.3: no two replicas apply different entries at the same index; each applies in log order. */
  private void checkStateMachineSafety() {
    for (long id : live()) {
      TestCluster.Node n = c.node(id);
      for (int k = 0; k < n.applied.size(); k++) {
        Entry e = n.applied.get(k);
        if (k > 0 && e.index() != n.applied.get(k - 1).index() + 1) {
          throw new AssertionError("node " + id + " applied " + show(e) + " right after " + show(n.applied.get(k - 1)));
        }
        if (e.index() > n.group.commitIndex()) {
          throw new AssertionError("node " + id + " applied " + show(e) + " beyond its commit index " + n.group.commitIndex());
        }
        Entry prev = applied.putIfAbsent(e.index(), e);
        if (prev == null) {
          coverage.appliedEntries++;
        } else if (!prev.equals(e)) {
          throw new AssertionError("node " + id + " applied " + show(e) + " at index " + e.index() + " where another applied " + show(prev));
        }
      }
    }
  }

  /** An entry with its payload, for failure messages: term/index "data". */
  static String show(Entry e) {
    return e.term() + "/" + e.index() + (e.type() == EntryType.CONF_CHANGE ? " CC" : "")
        + " \"" + new String(e.data(), java.nio.charset.StandardCharsets.UTF_8) + "\"";
  }

  static String show(List<Entry> entries) {
    return entries.stream().map(RaftChaos::show).toList().toString();
  }

  // ---------------------------------------------------------------- liveness at the end

  /**
   * Heals everything and requires that within 500 rounds of ticks a leader commits a new command
   * and every replica applies it. A leader may lose the command to a change of leadership (Raft
   * promises nothing for one proposal then), so it is proposed again if nobody applied it after 50
   * rounds; the safety claims are still checked after every round.
   */
  void healAndConverge() {
    try {
      c.heal();
      for (TestCluster.Node n : c.nodes.values()) {
        if (n.crashed) {
          restart(n.id);
        }
      }
      stabilize();
      check();
      int proposedAt = -1;
      for (int round = 0; round < 500; round++) {
        if (everyReplicaApplied("final")) {
          return;
        }
        long leader = leader();
        if (leader != 0 && (proposedAt < 0 || round - proposedAt >= 50)
            && c.group(leader).propose(TestCluster.bytes("final")) == ProposeResult.ACCEPTED) {
          proposedAt = round;
        }
        c.tickAll(1);
        stabilize();
        check();
      }
      StringBuilder sb = new StringBuilder("no command was applied by every replica within 500 rounds:");
      for (TestCluster.Node n : c.nodes.values()) {
        sb.append("\n  ").append(n.group.status());
      }
      throw new AssertionError(sb.toString());
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + " after healing: " + e.getMessage(), e);
    }
  }

  private boolean everyReplicaApplied(String command) {
    for (long id : c.nodes.keySet()) {
      if (!c.appliedData(id).contains(command)) {
        return false;
      }
    }
    return true;
  }

  /** The leader of the highest term in the cluster, or 0: a deposed leader may not know it yet. */
  private long leader() {
    long maxTerm = 0;
    for (TestCluster.Node n : c.nodes.values()) {
      maxTerm = Math.max(maxTerm, n.group.term());
    }
    for (TestCluster.Node n : c.nodes.values()) {
      if (n.group.role() == Role.LEADER && n.group.term() == maxTerm) {
        return n.id;
      }
    }
    return 0;
  }
}
