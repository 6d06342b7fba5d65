package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Lease-based reads: when the leader may answer on its lease, and when it must ask a quorum. */
class LeaseReadTest {
  private static final int ELECTION = 10;

  private static TestCluster leaseCluster() {
    return new TestCluster(3, b -> b.electionTicks(ELECTION).readOnlyOption(ReadOnlyOption.LEASE_BASED), 7);
  }

  /** Elects 1 and lets one heartbeat round be acknowledged, which grants the lease. */
  private static TestCluster withLease() {
    TestCluster c = leaseCluster();
    c.elect(1);
    c.tick(1);
    c.stabilize();
    assertTrue(hasLease(c, 1), "a quorum acknowledged the round just sent");
    return c;
  }

  private static boolean hasLease(TestCluster c, long id) {
    Raft r = c.group(id).raft();
    return r.lease != null && r.lease.valid(r.ticks);
  }

  private static boolean answered(TestCluster c, long context) {
    for (Ready rd : c.readyLog) {
      for (ReadState rs : rd.readStates()) {
        if (rs.context() == context) {
          return true;
        }
      }
    }
    return false;
  }

  // Breaks if a leader with a fresh quorum still sends a heartbeat round per read.
  @Test
  void aLeaderWithAFreshQuorumAnswersOnItsLease() {
    TestCluster c = withLease();
    int sentBefore = c.sent.size();
    assertEquals(ProposeResult.ACCEPTED, c.group(1).readIndex(7));
    c.processReady(1);
    assertTrue(answered(c, 7), "answered in the same Ready, before any message");
    assertEquals(1, c.group(1).counters().leaseReads);
    assertEquals(0, c.group(1).counters().readConfirmHeartbeats);
    assertEquals(sentBefore, c.sent.size(), "no heartbeat round for a lease read");
  }

  // Breaks if a read without a lease is answered before a quorum confirms a round sent after it.
  @Test
  void withoutALeaseAReadWaitsForARoundAndThatRoundGrantsTheLease() {
    TestCluster c = leaseCluster();
    c.elect(1);
    assertFalse(hasLease(c, 1), "no round acknowledged yet");
    c.group(1).readIndex(7);
    c.group(1).readIndex(8); // shares the round: its heartbeats have not left yet
    c.processReady(1);
    assertFalse(answered(c, 7));
    assertEquals(1, c.group(1).counters().readConfirmHeartbeats);
    c.stabilize();
    assertTrue(answered(c, 7) && answered(c, 8));
    assertTrue(hasLease(c, 1));
    c.group(1).readIndex(9);
    c.processReady(1);
    assertTrue(answered(c, 9));
    assertEquals(1, c.group(1).counters().leaseReads);
  }

  // Breaks if the lease outlives silence from the followers (a partitioned leader serving stale reads).
  @Test
  void anIsolatedLeaderLosesItsLeaseBeforeTheFollowersMayElect() {
    TestCluster c = withLease();
    c.isolate(1);
    int ticks = 0;
    while (hasLease(c, 1)) {
      c.tick(1);
      c.stabilize();
      ticks++;
    }
    assertTrue(ticks <= ELECTION - 1 - LeaderLease.SAFETY_MARGIN_TICKS, "lease lasted " + ticks + " ticks");
    assertEquals(Role.LEADER, c.group(1).role(), "still leader by CheckQuorum, but without a lease");
    c.group(1).readIndex(7);
    c.stabilize();
    assertFalse(answered(c, 7), "no quorum answers the confirming round");
    assertEquals(0, c.group(1).counters().leaseReads);
  }

  // Breaks if a follower grants a vote while the leader may still hold a lease it helped grant:
  // with all clocks in step, no tick has both a lease on 1 and another leader.
  @Test
  void noOtherLeaderIsElectedWhileTheOldOneHoldsItsLease() {
    TestCluster c = withLease();
    c.isolate(1);
    // The transport reports node 1 down at once: in lease mode the followers still wait it out.
    c.group(2).leaderDown(1, 1);
    c.group(3).leaderDown(1, 5); // staggered like the runtime does, so 2 is not split by 3's campaign
    boolean elected = false;
    for (int t = 0; t < 5 * ELECTION && !elected; t++) {
      c.tickAll(1);
      c.stabilize();
      elected = c.group(2).role() == Role.LEADER || c.group(3).role() == Role.LEADER;
      assertFalse(elected && hasLease(c, 1), "tick " + t + ": a new leader while 1 holds a lease");
    }
    assertTrue(elected, "the survivors elect a leader once the lease has expired");
  }

  // Breaks if a leadership transfer keeps the lease: the target's TimeoutNow campaign overrides
  // stickiness, so the old leader could serve reads after the new one committed writes.
  @Test
  void startingATransferDropsTheLease() {
    TestCluster c = withLease();
    c.group(1).transferLeader(2);
    assertFalse(hasLease(c, 1));
    c.group(1).readIndex(7);
    assertEquals(0, c.group(1).counters().leaseReads);
    // Acknowledgements of rounds sent before or during the transfer do not renew it either.
    c.tick(1);
    c.deliver(m -> m.type == MessageType.TIMEOUT_NOW);
    for (int i = 0; i < 5; i++) {
      c.processReady(1);
      c.processReady(2);
      c.processReady(3);
      c.deliver(m -> m.type == MessageType.TIMEOUT_NOW);
    }
    assertFalse(hasLease(c, 1));
  }

  // Breaks if the lease survives quiescence: an idle group's tick count stops, so the lease's end
  // would never come, while followers woken by a failure report may elect another leader.
  @Test
  void quiescingAndWakingDropTheLease() {
    TestCluster c = withLease();
    c.group(1).quiesce();
    assertFalse(hasLease(c, 1), "dropped on quiesce");
    c.stabilize();
    c.group(1).wake();
    assertFalse(hasLease(c, 1), "late acknowledgements of the last round do not bring it back");
    c.group(1).readIndex(7);
    c.processReady(1);
    assertFalse(answered(c, 7));
    assertEquals(1, c.group(1).counters().readConfirmHeartbeats);
    c.stabilize();
    assertTrue(answered(c, 7));
    assertTrue(hasLease(c, 1), "a round after waking grants a new lease");
  }

  // Breaks if a restarted follower votes at once: it may have acknowledged a lease-holding leader
  // just before it went down.
  @Test
  void aRestartedFollowerRefusesVotesForAnElectionTimeout() {
    TestCluster c = withLease();
    c.restart(3);
    c.isolate(1);
    c.group(2).leaderDown(1, 1);
    c.group(2).raft().randomizedElectionTimeout = 1; // campaign now, ignoring the guard on 2
    c.group(2).raft().leaseGuard = false;
    c.tick(2);
    c.stabilize();
    assertNotEquals(Role.LEADER, c.group(2).role());
    assertTrue(c.group(3).counters().votesIgnoredInLease > 0);
  }

  // Breaks if safe mode (the default) is affected by any of this.
  @Test
  void safeModeNeverUsesALease() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.tick(1);
    c.stabilize();
    c.group(1).readIndex(7);
    c.stabilize();
    assertTrue(answered(c, 7));
    assertEquals(0, c.group(1).counters().leaseReads);
    assertEquals(null, c.group(1).raft().lease);
  }
}
