package io.multiraft.core;

import static io.multiraft.core.ClusterOps.sentSince;
import static io.multiraft.core.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lessons 13–17 of /work/shared/LESSONS.md: elections and membership. */
class LessonsElectionTest {

  // ---------------------------------------------------------------- lesson 13

  // Breaks if campaign() on a leader starts an election (term bump or invariant failure).
  @Test
  void lesson13_campaignWhileLeaderIsANoOp() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    long term = c.group(1).term();
    int mark = c.sent.size();
    c.group(1).campaign();
    c.stabilize();
    assertEquals(Role.LEADER, c.group(1).role());
    assertEquals(term, c.group(1).term());
    assertEquals(1, c.group(1).counters().redundantCampaigns);
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.VOTE || m.type == MessageType.PRE_VOTE).isEmpty());
  }

  // Breaks if campaign() during an election restarts it (bumping the term again).
  @Test
  void lesson13_campaignWhileCandidateIsANoOp() {
    TestCluster c = new TestCluster(3, b -> b.preVote(false), 1);
    c.group(2).campaign();
    c.processReady(2);
    assertEquals(Role.CANDIDATE, c.group(2).role());
    assertEquals(1, c.group(2).term());
    int mark = c.sent.size();
    c.group(2).campaign();
    c.processReady(2);
    assertEquals(Role.CANDIDATE, c.group(2).role());
    assertEquals(1, c.group(2).term(), "a redundant campaign must not start a new term");
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.VOTE).isEmpty());
    assertEquals(1, c.group(2).counters().redundantCampaigns);
    c.stabilize();
    assertEquals(Role.LEADER, c.group(2).role(), "the original election completes");
  }

  // Breaks if campaign() during a pre-vote restarts the pre-vote.
  @Test
  void lesson13_campaignWhilePreCandidateIsANoOp() {
    TestCluster c = new TestCluster(3);
    c.group(2).campaign();
    c.processReady(2);
    assertEquals(Role.PRE_CANDIDATE, c.group(2).role());
    int mark = c.sent.size();
    c.group(2).campaign();
    c.processReady(2);
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.PRE_VOTE).isEmpty());
    assertEquals(1, c.group(2).counters().redundantCampaigns);
    c.stabilize();
    assertEquals(Role.LEADER, c.group(2).role());
    assertEquals(1, c.group(2).term());
  }

  // ---------------------------------------------------------------- lesson 14

  // Breaks if applying a removal does not re-check the commit index: the pending entry would stay
  // uncommitted (2 never acknowledges it) until some unrelated event.
  @Test
  void lesson14_removingAMemberCommitsPendingEntries() {
    TestCluster c = new TestCluster(2);
    c.elect(1);
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.remove(2)));
    c.processReady(1); // leader persists the removal and sends it to 2
    c.deliver();
    c.processReady(2); // 2 persists it; its acknowledgement is in the network
    c.group(1).propose(bytes("x"));
    c.processReady(1); // leader persists x; its own acknowledgement is counted
    long xIndex = c.group(1).lastIndex();
    c.cut.add("1->2"); // x never reaches 2
    c.deliver(); // 2's acknowledgement of the removal commits it
    long ccIndex = xIndex - 1;
    assertEquals(ccIndex, c.group(1).commitIndex(), "x needs both voters while 2 is a member");

    assertTrue(c.processReady(1)); // applies the removal
    assertEquals(Set.of(1L), c.group(1).confState().voters());
    assertEquals(xIndex, c.group(1).commitIndex(), "x commits as soon as the removal is applied");
    c.processReady(1);
    assertEquals(List.of("x"), c.appliedData(1));
  }

  // ---------------------------------------------------------------- lesson 15

  // Breaks if proposeConfChange does not check liveness: removing 2 while 3 is dead would be accepted.
  @Test
  void lesson15_removalThatWouldLoseQuorumIsRefused() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.crash(3);
    for (int i = 0; i < 25; i++) { // two election timeouts: 3 is no longer counted alive
      c.tick(1);
      c.stabilize();
    }
    assertEquals(Role.LEADER, c.group(1).role());
    assertFalse(c.group(1).raft().trk.get(3).alive());
    assertEquals(ProposeResult.WOULD_LOSE_QUORUM, c.group(1).proposeConfChange(ConfChange.remove(2)),
        "{1, 3} with 3 dead cannot commit anything");
    assertEquals(Set.of(1L, 2L, 3L), c.group(1).confState().voters());
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.remove(3)),
        "removing the dead member leaves {1, 2}, both alive");
    c.stabilize();
    assertEquals(Set.of(1L, 2L), c.group(1).confState().voters());
  }

  // Breaks if the check counts members as dead too eagerly (a healthy removal would be refused).
  @Test
  void lesson15_removalWithLiveQuorumIsAccepted() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    for (int i = 0; i < 25; i++) {
      c.tick(1);
      c.stabilize();
    }
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.remove(2)));
    c.stabilize();
    assertEquals(Set.of(1L, 3L), c.group(1).confState().voters());
  }

  // Breaks if "alive" only means "heard from in the current window": right after a window ends
  // every peer would look dead, and a healthy removal would be refused.
  @Test
  void lesson15_removalRightAfterAnActivityWindowEndsIsAccepted() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    for (int i = 1; i < 20; i++) {
      c.tick(1);
      c.stabilize();
    }
    c.tick(1); // ends the second window: nobody has answered in the new one yet
    assertFalse(c.group(1).raft().trk.get(3).recentActive);
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.remove(2)));
    c.stabilize();
    assertEquals(Set.of(1L, 3L), c.group(1).confState().voters());
  }

  // Breaks if the check looks at removals only. A sole voter that adds a voter whose node has no
  // replica makes {1, 2}, whose quorum needs 2: CheckQuorum deposes 1, and 2 cannot be elected nor
  // vote (nobody would ever lead to fill it), so the group never has a leader again (sim seed 9757).
  @Test
  void lesson15_voterNobodyAnswersForIsNotAddedToASoleVoter() {
    TestCluster c = new TestCluster(1);
    c.elect(1);
    assertEquals(ProposeResult.WOULD_LOSE_QUORUM, c.group(1).proposeConfChange(ConfChange.addVoter(2)),
        "{1, 2} with no replica answering for 2 cannot commit anything");
    c.stabilize();
    assertEquals(Set.of(1L), c.group(1).confState().voters());
    for (int i = 0; i < 40; i++) { // well past CheckQuorum's windows
      c.tick(1);
      c.stabilize();
    }
    assertEquals(Role.LEADER, c.group(1).role());
  }

  // Breaks if a learner counts as alive before it answered (a member just added is counted active
  // for a window), or if a learner that caught up cannot be promoted.
  @Test
  void lesson15_aSoleVoterGrowsThroughALearnerThatAnswered() {
    TestCluster c = new TestCluster(1);
    c.elect(1);
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.addLearner(2)));
    c.stabilize();
    assertEquals(Set.of(2L), c.group(1).confState().learners());
    assertTrue(c.group(1).raft().trk.get(2).alive(), "counted active since it was added");
    assertEquals(ProposeResult.WOULD_LOSE_QUORUM, c.group(1).proposeConfChange(ConfChange.addVoter(2)),
        "no replica answered for 2 yet");
    c.add(2, MemoryStorage.withVoters(1)); // the embedder creates the replica
    for (int i = 0; i < 3; i++) { // a heartbeat resumes the paused probe
      c.tick(1);
      c.stabilize();
    }
    assertEquals(c.group(1).lastIndex(), c.group(2).lastIndex(), "the learner caught up");
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.addVoter(2)));
    c.stabilize();
    assertEquals(Set.of(1L, 2L), c.group(1).confState().voters());
    for (int i = 0; i < 40; i++) {
      c.tick(1);
      c.stabilize();
    }
    assertEquals(Role.LEADER, c.group(1).role());
  }

  // Breaks if the check refuses additions too eagerly: {1, 2, 3} alive are a quorum of {1, 2, 3, 4}.
  @Test
  void lesson15_voterMayBeAddedWhileTheOthersAreAQuorum() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.addVoter(4)));
    c.stabilize();
    assertEquals(Set.of(1L, 2L, 3L, 4L), c.group(1).confState().voters());
  }

  // ---------------------------------------------------------------- lesson 16

  private static int ticksToFirstCampaign(boolean fast, long seed) {
    TestCluster c = new TestCluster(3, b -> b.electionTicks(100).heartbeatTicks(5).fastFirstElection(fast), seed);
    for (int t = 1; t <= 1_000; t++) {
      c.tick(1);
      if (c.group(1).role() != Role.FOLLOWER) {
        return t;
      }
    }
    throw new AssertionError("never campaigned");
  }

  // Breaks if fastFirstElection does not advance the election clock of a fresh node: every first
  // campaign would take at least electionTicks.
  @Test
  void lesson16_firstElectionAfterAboutOneHeartbeat() {
    int electionTicks = 100;
    int heartbeatTicks = 5;
    long fastTotal = 0;
    for (long seed = 1; seed <= 20; seed++) {
      int fast = ticksToFirstCampaign(true, seed);
      assertTrue(fast >= heartbeatTicks, "seed " + seed + ": not before one heartbeat, got " + fast);
      assertTrue(fast < electionTicks, "seed " + seed + ": first campaign after " + fast + " ticks, a whole election timeout");
      fastTotal += fast;
      int slow = ticksToFirstCampaign(false, seed);
      assertTrue(slow >= electionTicks, "seed " + seed + ": without the option, a whole election timeout: " + slow);
    }
    assertTrue(fastTotal / 20 <= electionTicks / 2, "on average far from a whole election timeout: " + fastTotal / 20);
  }

  // Breaks if the fast start applies to later elections too (a follower would campaign after one heartbeat).
  @Test
  void lesson16_onlyTheFirstElectionIsFast() {
    TestCluster c = new TestCluster(3, b -> b.electionTicks(100).heartbeatTicks(5).fastFirstElection(true), 3);
    c.elect(2); // 1 becomes a follower of 2 and resets its clock
    for (int t = 0; t < 99; t++) {
      c.tick(1);
    }
    assertEquals(Role.FOLLOWER, c.group(1).role());
  }

  // ---------------------------------------------------------------- lesson 17

  // Breaks if the previously seen hard state starts as the stored one: the first Ready would carry none.
  @Test
  void lesson17_firstReadyAfterRestartCarriesTheStoredHardState() {
    long[] voters = {1, 2, 3};
    HardState stored = new HardState(5, 2, 3);
    MemoryStorage s = ClusterOps.storage(voters, new long[] {1, 4, 5}, stored);
    RaftGroup g = ClusterOps.group(1, s, b -> { });
    assertTrue(g.hasReady());
    Ready rd = g.ready();
    assertNotNull(rd.hardState(), "the first real hard state must be handed out");
    assertEquals(stored, rd.hardState());
    g.advance(rd);
    if (g.hasReady()) {
      assertNull(g.ready().hardState(), "and only once");
    }
  }

  // Breaks like the one above, through a cluster restart.
  @Test
  void lesson17_restartedReplicaHandsOutItsHardStateFirst() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.group(1).propose(bytes("a"));
    c.stabilize();
    HardState before = c.node(2).storage.hardState();
    assertFalse(before.isEmpty());
    c.restart(2);
    int readies = c.readyLog.size();
    assertTrue(c.processReady(2));
    Ready first = c.readyLog.get(readies);
    assertEquals(before, first.hardState());
    c.stabilize();
    assertEquals(List.of("a"), c.appliedData(2), "re-applied from the log after restart");
  }
}
