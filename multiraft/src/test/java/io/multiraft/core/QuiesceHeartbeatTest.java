package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The leader's last heartbeat before its group goes idle is a one-way message: it carries the
 * commit index to the followers and asks for nothing back. With a write every few ticks per group
 * (thousands of groups), every write ends in a quiesce, so an answer would cost two messages a write.
 */
class QuiesceHeartbeatTest {

  private static TestCluster writtenAndAcknowledged() {
    TestCluster c = new TestCluster(3, b -> b.lazyCommitBroadcast(true).heartbeatIdleFollowersOnly(true), 11);
    c.elect(1);
    c.group(1).propose(TestCluster.bytes("a"));
    c.stabilize();
    c.network.clear();
    return c;
  }

  private static long count(TestCluster c, MessageType t) {
    return c.network.stream().filter(m -> m.type == t).count();
  }

  // Breaks if followers answer the quiesce heartbeat again.
  @Test
  void followersTakeTheCommitAndDoNotAnswer() {
    TestCluster c = writtenAndAcknowledged();
    long commit = c.group(1).commitIndex();
    c.group(1).quiesce();
    c.processReady(1);
    assertEquals(2, count(c, MessageType.HEARTBEAT), "one quiesce heartbeat per follower");
    c.deliver();
    c.processReady(2);
    c.processReady(3);
    assertEquals(0, count(c, MessageType.HEARTBEAT_RESPONSE));
    assertEquals(commit, c.group(2).commitIndex(), "the commit index rode on the quiesce heartbeat");
    assertEquals(commit, c.group(3).commitIndex());
  }

  @Test
  void anOrdinaryHeartbeatIsStillAnswered() {
    TestCluster c = writtenAndAcknowledged();
    for (int i = 0; i < 5; i++) { // caught-up followers are heartbeated half an election timeout after their last append
      c.tick(1);
    }
    c.processReady(1);
    long heartbeats = count(c, MessageType.HEARTBEAT);
    c.deliver();
    c.processReady(2);
    c.processReady(3);
    assertEquals(heartbeats, count(c, MessageType.HEARTBEAT_RESPONSE));
    assertEquals(2, heartbeats);
  }
}
