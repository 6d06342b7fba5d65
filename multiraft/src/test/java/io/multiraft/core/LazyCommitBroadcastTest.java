package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code lazyCommitBroadcast}, a commit sends no extra appends: followers learn it from the next
 * append or heartbeat. Without it (the default), every follower gets an append at once.
 */
class LazyCommitBroadcastTest {

  /** Replicates one entry and returns how many appends the leader sent after it committed. */
  private static long appendsAfterCommit(TestCluster c) {
    c.group(1).propose(TestCluster.bytes("a"));
    c.processReady(1);
    c.deliver();
    c.processReady(2);
    c.processReady(3);
    c.deliver(); // the acknowledgements reach the leader: it commits "a"
    c.network.clear();
    c.processReady(1);
    return c.network.stream().filter(m -> m.type == MessageType.APPEND).count();
  }

  @Test
  void eagerLeaderBroadcastsTheCommit() {
    TestCluster c = new TestCluster(3, b -> {}, 11);
    c.elect(1);
    assertEquals(2, appendsAfterCommit(c));
  }

  @Test
  void lazyLeaderLetsTheCommitRideTheNextHeartbeat() {
    TestCluster c = new TestCluster(3, b -> b.lazyCommitBroadcast(true), 11);
    c.elect(1);
    assertEquals(0, appendsAfterCommit(c));
    long commit = c.group(1).commitIndex();
    assertTrue(c.group(2).commitIndex() < commit, "follower 2 has not heard of the commit yet");
    assertEquals(List.of("a"), c.appliedData(1), "the leader applies (and answers the writer) at once");
    c.tick(1); // heartbeatTicks = 1: the heartbeat carries the commit
    c.stabilize();
    assertEquals(commit, c.group(2).commitIndex());
    assertEquals(commit, c.group(3).commitIndex());
    assertEquals(List.of("a"), c.appliedData(2));
  }

  @Test
  void lazyCommitRidesTheNextAppend() {
    TestCluster c = new TestCluster(3, b -> b.lazyCommitBroadcast(true), 11);
    c.elect(1);
    appendsAfterCommit(c);
    long commitA = c.group(1).commitIndex();
    c.group(1).propose(TestCluster.bytes("b"));
    c.processReady(1);
    List<Message> appends = c.network.stream().filter(m -> m.type == MessageType.APPEND).toList();
    assertEquals(2, appends.size());
    for (Message m : appends) {
      assertEquals(commitA, m.commit, "the append of 'b' carries the commit of 'a'");
    }
  }
}
