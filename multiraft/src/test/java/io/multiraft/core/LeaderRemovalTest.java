package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A leader that applies its own removal hands leadership over instead of just stepping down.
 * Found by the simulator (seed 93): a leader that stepped down at once left the remaining voters
 * unable to elect anyone, because they did not yet know the removal had committed (so they still
 * needed the old leader's vote) and the old leader held an entry they lacked (so it refused it).
 */
class LeaderRemovalTest {

  private static long leaderAmong(TestCluster c, long... ids) {
    for (long id : ids) {
      if (c.group(id).role() == Role.LEADER) {
        return id;
      }
    }
    return 0;
  }

  @Test
  void removedLeaderHandsOverToTheBestRemainingVoter() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.remove(1)));
    c.stabilize();
    long leader = leaderAmong(c, 2, 3);
    assertNotEquals(0, leader, "a remaining voter leads without waiting for an election timeout: "
        + c.group(1).status() + " / " + c.group(2).status() + " / " + c.group(3).status() + " " + c.group(2).counters().redundantCampaigns + " " + c.group(2).counters().campaignsBlockedByConfChange);
    assertEquals(List.of(2L, 3L), List.copyOf(c.group(leader).confState().voters()));
    c.group(leader).propose(TestCluster.bytes("after"));
    c.stabilize();
    assertEquals(List.of("after"), c.appliedData(2));
    assertEquals(List.of("after"), c.appliedData(3));
  }

  @Test
  void removalStillConvergesWhenTheFinalAppendsAreLost() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.isolate(3);
    assertEquals(ProposeResult.ACCEPTED, c.group(1).proposeConfChange(ConfChange.remove(1)));
    c.group(1).propose(TestCluster.bytes("extra")); // an entry only the old leader may hold
    // Node 2 acknowledges the removal, but the messages telling it the removal committed are lost.
    for (int i = 0; i < 20; i++) {
      for (long id : c.nodes.keySet()) {
        while (c.processReady(id)) {
          // persist and queue
        }
      }
      c.deliver(m -> m.from == 1 && m.type == MessageType.APPEND && m.commit >= c.group(1).commitIndex() && c.group(1).commitIndex() > 0
          && c.group(1).role() != Role.LEADER);
    }
    c.heal();
    for (int round = 0; round < 100 && leaderAmong(c, 2, 3) == 0; round++) {
      c.tickAll(1);
      c.stabilize();
    }
    long leader = leaderAmong(c, 2, 3);
    assertNotEquals(0, leader, "the remaining voters elect a leader: " + c.group(2).status() + " / " + c.group(3).status());
    assertTrue(c.group(leader).confState().voters().size() == 2);
  }
}
