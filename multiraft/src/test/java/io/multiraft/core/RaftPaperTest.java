package io.multiraft.core;

import static io.multiraft.core.ClusterOps.builder;
import static io.multiraft.core.ClusterOps.drain;
import static io.multiraft.core.ClusterOps.ids;
import static io.multiraft.core.ClusterOps.sentSince;
import static io.multiraft.core.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.RaftChaos.Claim;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One test per claim of the Raft paper (Ongaro and Ousterhout, §5), after etcd's raft_paper_test.
 * The five safety properties of Figure 3 are checked after every step of seeded randomized runs;
 * the specific rules of §5.2–5.4 with hand-built scenarios.
 */
class RaftPaperTest {
  private static final int SEEDS = 50;
  private static final int STEPS = 800;

  /** The paper's Raft: no PreVote, no CheckQuorum. */
  private static final Consumer<RaftConfig.Builder> CLASSIC = b -> b.preVote(false).checkQuorum(false);

  private static RaftChaos.Coverage chaos(Claim claim) {
    RaftChaos.Coverage total = new RaftChaos.Coverage();
    for (long seed = 1; seed <= SEEDS; seed++) {
      RaftChaos run = new RaftChaos(seed, EnumSet.of(claim)).run(STEPS);
      run.healAndConverge();
      total.add(run.coverage);
    }
    return total;
  }

  // ---------------------------------------------------------------- Figure 3, randomized

  // Breaks if a replica can grant two votes in one term, or a candidate counts a vote twice.
  @Test
  void electionSafety_atMostOneLeaderPerTerm() {
    RaftChaos.Coverage cov = chaos(Claim.ELECTION_SAFETY);
    assertTrue(cov.electedTerms >= 100, "runs must elect leaders in many terms: " + cov);
    assertTrue(cov.leaderChecks > 5_000, cov.toString());
  }

  // Breaks if a leader truncates or rewrites its own log (e.g. accepting an append of its own term).
  @Test
  void leaderAppendOnly_leaderNeverOverwritesOrDeletesItsEntries() {
    RaftChaos.Coverage cov = chaos(Claim.LEADER_APPEND_ONLY);
    assertTrue(cov.leaderLogGrowth > 300, cov.toString());
  }

  // Breaks if a follower appends without checking the previous entry, or keeps a conflicting suffix.
  @Test
  void logMatching_sameIndexAndTermMeansIdenticalPrefix() {
    RaftChaos.Coverage cov = chaos(Claim.LOG_MATCHING);
    assertTrue(cov.matchingPrefixEntries > 80_000, cov.toString());
  }

  // Breaks if a candidate with an outdated log can win, or commit counts entries of older terms.
  @Test
  void leaderCompleteness_committedEntriesAreInEveryLaterLeadersLog() {
    RaftChaos.Coverage cov = chaos(Claim.LEADER_COMPLETENESS);
    assertTrue(cov.committedEntries > 300, cov.toString());
    assertTrue(cov.completenessChecks > 2_000, cov.toString());
  }

  // Breaks if a replica applies an entry before it is committed, out of order, or one that differs from another's.
  @Test
  void stateMachineSafety_noTwoReplicasApplyDifferentEntriesAtAnIndex() {
    RaftChaos.Coverage cov = chaos(Claim.STATE_MACHINE_SAFETY);
    assertTrue(cov.appliedEntries > 300, cov.toString());
    assertTrue(cov.snapshotsSent >= 10, "runs must catch replicas up with snapshots: " + cov);
  }

  // Paper §8: a read through ReadIndex must see every write committed before it was issued. Breaks
  // if a leader answers without a quorum's heartbeat acknowledgements (a deposed leader would serve
  // a stale read), or before it has committed an entry of its own term.
  @Test
  void readOnlyQueriesAreLinearizable() {
    RaftChaos.Coverage cov = chaos(Claim.READ_INDEX_LINEARIZABLE);
    assertTrue(cov.readsAnswered > 80, cov.toString());
  }

  // Paper §8: a leader checks it has not been deposed (heartbeats to a majority) before answering a
  // read. Breaks if a read is answered on fewer acknowledgements than a quorum.
  @Test
  void deposedLeaderCannotServeStaleReads() {
    TestCluster c = new TestCluster(5, CLASSIC, 1);
    c.elect(1);
    c.group(1).propose(bytes("a"));
    c.stabilize();
    c.partition(Set.of(1L, 2L));
    c.elect(3); // 3, 4 and 5 elect 3, which commits "b": 1 does not know
    c.group(3).propose(bytes("b"));
    c.stabilize();
    long committedB = c.group(3).commitIndex();
    assertTrue(committedB > c.group(1).commitIndex());
    assertEquals(Role.LEADER, c.group(1).role(), "without CheckQuorum the old leader does not know it was deposed");

    int readies = c.readyLog.size();
    assertEquals(ProposeResult.ACCEPTED, c.group(1).readIndex(7));
    c.stabilize(); // 2 acknowledges the heartbeat: two of five
    c.heal();
    c.tick(3);
    c.stabilize(); // 1 learns of term 2 and steps down; the read is dropped
    for (Ready rd : c.readyLog.subList(readies, c.readyLog.size())) {
      assertTrue(rd.readStates().isEmpty(), "a stale read was answered: " + rd.readStates());
    }
    assertEquals(Role.FOLLOWER, c.group(1).role());

    assertEquals(ProposeResult.ACCEPTED, c.group(3).readIndex(8));
    c.tick(3);
    c.stabilize();
    List<ReadState> answered = new ArrayList<>();
    for (Ready rd : c.readyLog.subList(readies, c.readyLog.size())) {
      answered.addAll(rd.readStates());
    }
    assertEquals(1, answered.size());
    assertEquals(8, answered.get(0).context());
    assertTrue(answered.get(0).index() >= committedB, "the new leader's read sees \"b\"");
  }

  // §6: the five claims still hold while voters are demoted to learners and promoted back, one at a
  // time or several at once through joint consensus, mixed with crashes, snapshots and restarts
  // (which rebuild the membership from the snapshot and the log). A run that violates a claim fails;
  // the quorum rules themselves are pinned by QuorumTest and ConfChangerTest, which this rarely
  // reaches on its own.
  @Test
  void safetyClaimsHoldAcrossMembershipChanges() {
    RaftChaos.Coverage total = new RaftChaos.Coverage();
    for (long seed = 1; seed <= SEEDS; seed++) {
      RaftChaos run = new RaftChaos(seed, EnumSet.allOf(Claim.class), true, false).run(STEPS);
      run.healAndConverge();
      total.add(run.coverage);
    }
    assertTrue(total.confChanges >= 10, "runs must change membership: " + total);
    assertTrue(total.committedEntries > 150, total.toString());
  }

  // The claims hold when replicas persist and apply as the node runtime does: messages are stepped
  // while a Ready is being written, and entries are applied later and reported. Breaks, e.g., if
  // a replica acknowledges entries of a Ready whose write has not finished.
  @Test
  void safetyClaimsHoldWithAsynchronousPersistAndApply() {
    RaftChaos.Coverage total = new RaftChaos.Coverage();
    for (long seed = 1; seed <= SEEDS; seed++) {
      RaftChaos run = new RaftChaos(seed, EnumSet.allOf(Claim.class), seed % 2 == 1, true).run(STEPS);
      run.healAndConverge();
      total.add(run.coverage);
    }
    assertTrue(total.committedEntries > 150, total.toString());
    assertTrue(total.snapshotsSent >= 3, total.toString());
  }

  // ---------------------------------------------------------------- §5.1 terms

  // Breaks if a replica ignores a higher term in a message (follower, candidate and leader alike).
  @Test
  void followerUpdatesTermFromHigherTermMessage() {
    for (Role role : List.of(Role.FOLLOWER, Role.CANDIDATE, Role.LEADER)) {
      TestCluster c = new TestCluster(3, CLASSIC, 1);
      switch (role) {
        case CANDIDATE -> {
          c.group(1).campaign();
          c.processReady(1);
        }
        case LEADER -> c.elect(1);
        default -> { }
      }
      assertEquals(role, c.group(1).role());
      long term = c.group(1).term();
      c.group(1).step(builder(MessageType.APPEND, 2, 1, term + 1).index(0).logTerm(0).build());
      assertEquals(term + 1, c.group(1).term(), role.toString());
      assertEquals(Role.FOLLOWER, c.group(1).role(), role.toString());
      assertEquals(2, c.group(1).leader(), role + ": an append names the leader of the new term");

      c.group(1).step(builder(MessageType.VOTE_RESPONSE, 3, 1, term + 2).reject(true).build());
      assertEquals(term + 2, c.group(1).term(), role + ": any message with a higher term raises ours");
      assertEquals(0, c.group(1).leader(), role + ": a vote response names no leader");
    }
  }

  // Breaks if a message of a lower term is acted on.
  @Test
  void staleTermMessageIsIgnored() {
    MemoryStorage s = ClusterOps.storage(ids(1, 2, 3), new long[] {1, 2}, new HardState(2, 0, 0));
    RaftGroup g = ClusterOps.group(1, s, CLASSIC);
    drain(g, s);
    g.step(builder(MessageType.APPEND, 2, 1, 1).index(2).logTerm(2).entries(List.of(Entry.normal(1, 3, bytes("old")))).build());
    assertEquals(2, g.lastIndex());
    assertEquals(0, g.leader());
    assertEquals(1, g.counters().staleTermMessages);
    assertTrue(drain(g, s).isEmpty(), "no answer to a stale append in classic Raft");

    // With CheckQuorum or PreVote the stale leader is told our term so that it steps down.
    MemoryStorage s2 = ClusterOps.storage(ids(1, 2, 3), new long[] {1, 2}, new HardState(2, 0, 0));
    RaftGroup g2 = ClusterOps.group(1, s2, b -> { });
    drain(g2, s2);
    g2.step(builder(MessageType.APPEND, 2, 1, 1).index(2).logTerm(2).build());
    List<Message> out = drain(g2, s2);
    assertEquals(1, out.size());
    assertEquals(2, out.get(0).term);
    assertEquals(2, g2.lastIndex());
  }

  // ---------------------------------------------------------------- §5.2 leader election

  // Breaks if a leader does not heartbeat every heartbeatTicks.
  @Test
  void leaderBroadcastsHeartbeats() {
    TestCluster c = new TestCluster(3, b -> b.heartbeatTicks(3), 1);
    c.elect(1);
    int mark = c.sent.size();
    c.tick(1);
    c.tick(1);
    c.processReady(1);
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.HEARTBEAT).isEmpty());
    c.tick(1);
    c.processReady(1);
    List<Message> beats = sentSince(c, mark, m -> m.type == MessageType.HEARTBEAT);
    assertEquals(Set.of(2L, 3L), Set.copyOf(beats.stream().map(m -> m.to).toList()));
    for (Message m : beats) {
      assertEquals(c.group(1).term(), m.term);
    }
  }

  // Breaks if a follower or candidate does not start a new election when its election timeout elapses.
  @Test
  void nonLeaderStartsElectionOnTimeout() {
    TestCluster c = new TestCluster(3, CLASSIC, 1);
    for (int i = 0; i < 20 && c.group(1).role() == Role.FOLLOWER; i++) {
      c.tick(1);
    }
    c.processReady(1);
    assertEquals(Role.CANDIDATE, c.group(1).role());
    assertEquals(1, c.group(1).term());
    assertEquals(1, c.group(1).raft().vote, "votes for itself");
    List<Message> votes = sentSince(c, 0, m -> m.type == MessageType.VOTE);
    assertEquals(Set.of(2L, 3L), Set.copyOf(votes.stream().map(m -> m.to).toList()));
    for (int i = 0; i < 20 && c.group(1).term() == 1; i++) {
      c.tick(1);
    }
    assertEquals(Role.CANDIDATE, c.group(1).role());
    assertEquals(2, c.group(1).term(), "a candidate whose election times out starts another");
  }

  // Breaks if election timeouts are not randomized within [electionTicks, 2 * electionTicks).
  @Test
  void electionTimeoutsAreRandomized() {
    Set<Integer> seen = new HashSet<>();
    for (long seed = 1; seed <= 50; seed++) {
      TestCluster c = new TestCluster(3, CLASSIC, seed);
      int t = 0;
      while (c.group(1).role() == Role.FOLLOWER) {
        c.tick(1);
        t++;
      }
      assertTrue(t >= 10 && t < 20, "timeout " + t);
      seen.add(t);
    }
    assertTrue(seen.size() >= 5, "timeouts vary: " + seen);
  }

  // Breaks if a replica grants a second vote in a term (election safety rests on it), or forgets its vote on restart.
  @Test
  void votesAreGrantedAtMostOncePerTerm() {
    long[][] cases = {
        // vote already cast, candidate, rejected?
        {0, 2, 0}, {0, 3, 0}, {2, 2, 0}, {3, 3, 0}, {2, 3, 1}, {3, 2, 1},
    };
    for (long[] tc : cases) {
      MemoryStorage s = ClusterOps.storage(ids(1, 2, 3), new long[] {}, new HardState(1, tc[0], 0));
      RaftGroup g = ClusterOps.group(1, s, CLASSIC);
      drain(g, s);
      g.step(builder(MessageType.VOTE, tc[1], 1, 1).build());
      Ready rd = g.ready();
      assertTrue(rd.messages().isEmpty(), "a vote response must wait for the vote to be persisted");
      Message resp = rd.persistedMessages().get(0);
      assertEquals(MessageType.VOTE_RESPONSE, resp.type);
      assertEquals(tc[2] == 1, resp.reject, "vote " + tc[0] + ", candidate " + tc[1]);
      if (tc[2] == 0) {
        assertEquals(tc[1], rd.hardState() != null ? rd.hardState().vote() : s.hardState().vote(), "the vote is persisted");
      }
      g.advance(rd);
    }
    // The vote survives a restart.
    MemoryStorage s = ClusterOps.storage(ids(1, 2, 3), new long[] {}, new HardState(1, 0, 0));
    RaftGroup g = ClusterOps.group(1, s, CLASSIC);
    drain(g, s);
    g.step(builder(MessageType.VOTE, 2, 1, 1).build());
    assertFalse(drain(g, s).get(0).reject);
    RaftGroup restarted = ClusterOps.group(1, s, CLASSIC);
    drain(restarted, s);
    restarted.step(builder(MessageType.VOTE, 3, 1, 1).build());
    assertTrue(drain(restarted, s).get(0).reject, "the vote for 2 in term 1 was persisted");
  }

  // Breaks if a candidate keeps campaigning after hearing from the leader of its term.
  @Test
  void candidateFallsBackOnAppendFromLeaderOfSameTerm() {
    for (long extraTerm : new long[] {0, 1}) {
      TestCluster c = new TestCluster(3, CLASSIC, 1);
      c.group(1).campaign();
      c.processReady(1);
      long term = c.group(1).term();
      assertEquals(Role.CANDIDATE, c.group(1).role());
      c.group(1).step(builder(MessageType.APPEND, 2, 1, term + extraTerm).index(0).logTerm(0).build());
      assertEquals(Role.FOLLOWER, c.group(1).role());
      assertEquals(term + extraTerm, c.group(1).term());
      assertEquals(2, c.group(1).leader());
    }
    // A pre-candidate too: a leader exists at its term.
    TestCluster c = new TestCluster(3);
    c.group(1).campaign();
    c.processReady(1);
    assertEquals(Role.PRE_CANDIDATE, c.group(1).role());
    c.group(1).step(builder(MessageType.HEARTBEAT, 2, 1, c.group(1).term()).build());
    assertEquals(Role.FOLLOWER, c.group(1).role());
    assertEquals(2, c.group(1).leader());
  }

  // Breaks if the §5.4.1 up-to-date check is missing or compares the wrong way.
  @Test
  void candidateWithOutdatedLogIsRefused() {
    record Case(long[] voterTerms, long candLastTerm, long candLastIndex, boolean reject) {}
    List<Case> cases = List.of(
        new Case(new long[] {1}, 1, 1, false), // same
        new Case(new long[] {1}, 1, 2, false), // longer
        new Case(new long[] {1, 1}, 1, 1, true), // same last term, shorter
        new Case(new long[] {2}, 1, 1, true), // lower last term
        new Case(new long[] {2}, 1, 5, true), // lower last term, even if longer
        new Case(new long[] {2, 2}, 3, 1, false), // higher last term, even if shorter
        new Case(new long[] {1, 2}, 2, 2, false),
        new Case(new long[] {1, 2}, 2, 1, true));
    for (Case tc : cases) {
      long term = tc.voterTerms[tc.voterTerms.length - 1];
      MemoryStorage s = ClusterOps.storage(ids(1, 2, 3), tc.voterTerms, new HardState(term, 0, 0));
      RaftGroup g = ClusterOps.group(1, s, CLASSIC);
      drain(g, s);
      g.step(builder(MessageType.VOTE, 2, 1, Math.max(term, tc.candLastTerm) + 1)
          .logTerm(tc.candLastTerm).index(tc.candLastIndex).build());
      List<Message> out = drain(g, s);
      assertEquals(MessageType.VOTE_RESPONSE, out.get(0).type);
      assertEquals(tc.reject, out.get(0).reject, "voter log " + java.util.Arrays.toString(tc.voterTerms)
          + ", candidate last " + tc.candLastTerm + "/" + tc.candLastIndex);
    }
  }

  // ---------------------------------------------------------------- §5.3 log replication

  // Breaks if a follower accepts an append whose previous entry it does not have.
  @Test
  void followerRejectsAppendWhosePreviousEntryDoesNotMatch() {
    long[][] cases = {
        // prev index, prev term, reject?, answered index
        {1, 1, 0, 1}, {2, 2, 0, 2}, {2, 1, 1, 2}, {3, 3, 1, 3}, {0, 0, 0, 1},
    };
    for (long[] tc : cases) {
      MemoryStorage s = ClusterOps.storage(ids(1, 2, 3), new long[] {1, 2}, new HardState(2, 0, 1));
      RaftGroup g = ClusterOps.group(1, s, CLASSIC);
      drain(g, s);
      g.step(builder(MessageType.APPEND, 2, 1, 2).index(tc[0]).logTerm(tc[1]).commit(1).build());
      List<Message> out = drain(g, s);
      Message resp = out.get(out.size() - 1);
      assertEquals(MessageType.APPEND_RESPONSE, resp.type);
      assertEquals(tc[2] == 1, resp.reject, "prev " + tc[1] + "/" + tc[0]);
      assertEquals(tc[3], resp.index, "prev " + tc[1] + "/" + tc[0]);
    }
  }

  // Breaks if the leader does not bring divergent followers' logs in line with its own (Figure 7).
  @Test
  void leaderBringsFollowerLogsInLine_figure7() {
    long[] leader = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
    long[][] followers = {
        {1, 1, 1, 4, 4, 5, 5, 6, 6}, // (a) missing an entry
        {1, 1, 1, 4}, // (b) missing many
        {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}, // (c) an extra uncommitted entry
        {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}, // (d) extra entries of a later term
        {1, 1, 1, 4, 4, 4, 4}, // (e) missing and extra
        {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, // (f) a whole divergent history
    };
    for (long[] f : followers) {
      TestCluster c = ClusterOps.empty(CLASSIC, 1);
      c.add(1, ClusterOps.storage(ids(1, 2, 3), leader, new HardState(7, 0, 0)));
      c.add(2, ClusterOps.storage(ids(1, 2, 3), f, new HardState(f[f.length - 1], 0, 0)));
      c.add(3, ClusterOps.storage(ids(1, 2, 3), leader, new HardState(7, 0, 0)));
      c.elect(1);
      c.stabilize();
      assertEquals(ClusterOps.log(c.group(1)), ClusterOps.log(c.group(2)), "follower " + java.util.Arrays.toString(f));
      assertEquals(11, c.group(2).commitIndex());
    }
  }

  // ---------------------------------------------------------------- §5.4.2 committing entries from previous terms

  // Breaks if the leader commits an entry of an earlier term by counting replicas.
  @Test
  void leaderOnlyCommitsEntriesOfItsTermByCounting() {
    MemoryStorage s = ClusterOps.storage(ids(1, 2, 3), new long[] {1, 2}, new HardState(2, 0, 0));
    RaftGroup g = ClusterOps.group(1, s, CLASSIC);
    drain(g, s);
    g.campaign();
    drain(g, s);
    g.step(builder(MessageType.VOTE_RESPONSE, 2, 1, 3).build());
    drain(g, s);
    assertEquals(Role.LEADER, g.role());
    assertEquals(3, g.lastIndex(), "the new leader's empty entry");
    g.step(builder(MessageType.APPEND_RESPONSE, 2, 1, 3).index(2).build());
    drain(g, s);
    assertEquals(0, g.commitIndex(), "entry 2 of term 2 is on a majority but not of the leader's term");
    g.step(builder(MessageType.APPEND_RESPONSE, 2, 1, 3).index(3).build());
    drain(g, s);
    assertEquals(3, g.commitIndex(), "committing entry 3 of term 3 commits everything before it");
  }

  // Breaks like the one above, in the paper's Figure 8 sequence: the entry stored on a majority and
  // wrongly committed would later be overwritten, so replicas would apply different commands.
  @Test
  void leaderOnlyCommitsEntriesOfItsTermByCounting_figure8() {
    TestCluster c = new TestCluster(5, CLASSIC.andThen(b -> b.maxSizePerMsgBytes(1)), 8);
    // (a) S1 leads and replicates "x" (index 2) to S2 only.
    c.elect(1);
    for (long to = 3; to <= 5; to++) {
      c.cut.add("1->" + to);
    }
    c.group(1).propose(bytes("x"));
    c.stabilize();
    assertEquals(2, c.group(2).lastIndex());
    c.crash(1);
    c.heal();

    // (b) S5 is elected by S3, S4 and itself; it stores an entry at index 2 of its term, then crashes.
    c.group(5).campaign();
    ClusterOps.stabilize(c, m -> m.from == 5 && m.type == MessageType.APPEND);
    assertEquals(Role.LEADER, c.group(5).role());
    long s5Term = c.group(5).term();
    assertEquals(s5Term, c.group(5).raft().log.term(2));
    c.crash(5);

    // (c) S1 restarts, is elected, and replicates "x" to S3 and S4: a majority stores it.
    // Entries of S1's new term (index 3 on) never reach S3 or S4, so nothing of its term can commit;
    // probes they would reject anyway do reach them.
    Predicate<Message> term3EntriesToS3S4 = m -> m.type == MessageType.APPEND && m.from == 1 && (m.to == 3 || m.to == 4)
        && m.entries.stream().anyMatch(e -> e.index() >= 3) && c.group(m.to).lastIndex() >= m.index;
    c.restart(1);
    for (int i = 0; i < 200 && c.group(1).role() != Role.LEADER; i++) {
      c.tick(1);
      ClusterOps.stabilize(c, term3EntriesToS3S4);
    }
    assertEquals(Role.LEADER, c.group(1).role());
    ClusterOps.stabilize(c, term3EntriesToS3S4);
    int holders = 0;
    for (long id = 1; id <= 4; id++) {
      if (c.group(id).lastIndex() >= 2 && c.group(id).raft().log.term(2) == 1) {
        holders++;
      }
    }
    assertEquals(4, holders, "\"x\" of term 1 is stored on a majority");
    assertEquals(1, c.group(1).commitIndex(), "but it must not be committed by counting: it is of an older term");

    // (d) S1 crashes; S5 restarts and is elected by S3 and S4 (whose last term is older than its own),
    // and overwrites "x" everywhere: legal only because "x" was never committed.
    c.crash(1);
    c.restart(5);
    for (int i = 0; i < 200 && c.group(5).role() != Role.LEADER; i++) {
      c.tick(5);
      c.stabilize();
    }
    assertEquals(Role.LEADER, c.group(5).role());
    c.stabilize();
    for (long id = 2; id <= 5; id++) {
      assertEquals(s5Term, c.group(id).raft().log.term(2), "node " + id);
      assertTrue(c.group(id).commitIndex() >= 2);
      assertFalse(c.appliedData(id).contains("x"), "node " + id + " applied an overwritten entry");
    }
    assertFalse(c.appliedData(1).contains("x"));
    List<Entry> appliedAt2 = new ArrayList<>();
    for (long id = 2; id <= 5; id++) {
      appliedAt2.add(c.node(id).applied.get(1));
    }
    assertEquals(1, new HashSet<>(appliedAt2).size(), "every replica applied the same entry 2");
  }
}
