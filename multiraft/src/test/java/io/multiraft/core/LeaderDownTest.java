package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A failure detector outside Raft reports the leader's node down (etcd's ForgetLeader). */
class LeaderDownTest {

  // Breaks if a follower that heard from the leader recently refuses a pre-vote even after being
  // told the leader is down: the survivors would wait out an election timeout (PreVote + CheckQuorum).
  @Test
  void followersThatForgetTheLeaderElectANewOneAfterTheGivenTicks() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.isolate(1);
    // Without being told, a follower refuses a pre-vote: it heard from the leader just now.
    c.group(2).campaign();
    c.stabilize();
    assertEquals(Role.PRE_CANDIDATE, c.group(2).role());
    assertEquals(1, c.group(3).counters().votesIgnoredInLease);

    assertTrue(c.group(3).leaderDown(1, 5));
    assertEquals(0, c.group(3).leader());
    assertEquals(Role.FOLLOWER, c.group(3).role(), "forgetting the leader is not campaigning");
    // 2 is still a pre-candidate: its next campaign comes within an election timeout; 3 grants it.
    for (int i = 0; i < 20 && c.group(2).role() != Role.LEADER; i++) {
      c.tick(2);
      c.stabilize();
    }
    assertEquals(Role.LEADER, c.group(2).role());
    assertEquals(1, c.group(3).counters().votesIgnoredInLease, "the pre-vote was granted");
  }

  // Breaks if the campaign comes after a whole randomized election timeout instead of the given ticks.
  @Test
  void aFollowerToldItsLeaderIsDownCampaignsAfterTheGivenTicks() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.isolate(1);
    c.group(3).leaderDown(1, 10);
    assertTrue(c.group(2).leaderDown(1, 2));
    c.tick(2);
    c.stabilize();
    assertEquals(Role.FOLLOWER, c.group(2).role(), "not before the given ticks");
    c.tick(2);
    c.stabilize();
    assertEquals(Role.LEADER, c.group(2).role());
  }

  // Breaks if a report about some other node, or on a leader or candidate, changes anything.
  @Test
  void onlyTheLostLeadersFollowersReact() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    assertFalse(c.group(2).leaderDown(3, 1), "3 does not lead");
    assertEquals(1, c.group(2).leader());
    assertFalse(c.group(1).leaderDown(1, 1), "a leader keeps leading");
    assertEquals(Role.LEADER, c.group(1).role());
  }
}
