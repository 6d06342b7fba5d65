package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The messages a busy group saves. With {@code lazyCommitBroadcast}, a commit sends no extra
 * appends: followers learn it from the next append or heartbeat (without it, the default, every
 * follower gets an append at once). With {@code heartbeatIdleFollowersOnly}, a follower that got an
 * append since the last heartbeat is not heartbeated.
 */
class BusyGroupMessagesTest {

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
  void aLazyLeaderWithAWindowOfOneSendsNoEmptyAppendWhenTheWindowFrees() {
    // Each follower's window is full while its append is on the way; its response frees it. An
    // eager leader then sends an append, empty if nothing new came, to carry the commit: with a
    // window of one that is an extra append and response per round.
    TestCluster eager = new TestCluster(3, b -> b.maxInflightMsgs(1), 11);
    eager.elect(1);
    assertEquals(2, appendsAfterCommit(eager));
    TestCluster lazy = new TestCluster(3, b -> b.maxInflightMsgs(1).lazyCommitBroadcast(true), 11);
    lazy.elect(1);
    assertEquals(0, appendsAfterCommit(lazy));
  }

  @Test
  void aWindowOfOneSendsWhatCameMeanwhileInOneAppend() {
    TestCluster c = new TestCluster(3, b -> b.maxInflightMsgs(1).lazyCommitBroadcast(true), 11);
    c.elect(1);
    c.network.clear();
    c.group(1).propose(TestCluster.bytes("a"));
    c.processReady(1);
    c.group(1).propose(TestCluster.bytes("b"));
    c.group(1).propose(TestCluster.bytes("c"));
    c.processReady(1); // the window is full: "b" and "c" wait
    assertEquals(1, c.network.stream().filter(m -> m.type == MessageType.APPEND && m.to == 2).count());
    c.deliver();
    c.processReady(2);
    c.deliver(); // follower 2's response frees its window
    c.network.clear();
    c.processReady(1);
    List<Message> next = c.network.stream().filter(m -> m.type == MessageType.APPEND && m.to == 2).toList();
    assertEquals(1, next.size(), "one append for what came meanwhile");
    assertEquals(2, next.get(0).entries.size());
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

  private static void tickLeader(TestCluster c) {
    c.tick(1);
    c.processReady(1);
  }

  private static long heartbeatsTo(TestCluster c, long to) {
    return c.network.stream().filter(m -> m.type == MessageType.HEARTBEAT && m.to == to).count();
  }

  @Test
  void aFollowerThatGotAnAppendIsNotHeartbeated() {
    TestCluster c = new TestCluster(3, b -> b.lazyCommitBroadcast(true).heartbeatIdleFollowersOnly(true), 11);
    c.elect(1);
    c.stabilize();
    tickLeader(c); // the election's appends did this interval's heartbeats
    assertEquals(0, heartbeatsTo(c, 2));
    c.stabilize();
    c.network.clear();
    for (int i = 2; i < 5; i++) {
      tickLeader(c); // caught up, last append recent: the quiesce heartbeat would bring the commit index
      assertEquals(0, heartbeatsTo(c, 2), "tick " + i);
    }
    tickLeader(c); // half an election timeout since the last append: heartbeated, for their election timers
    assertEquals(1, heartbeatsTo(c, 2));
    assertEquals(1, heartbeatsTo(c, 3));
    c.stabilize();
    c.network.clear();
    c.group(1).propose(TestCluster.bytes("a"));
    c.processReady(1);
    c.network.clear();
    tickLeader(c);
    assertEquals(0, heartbeatsTo(c, 2), "the append did the heartbeat's work");
    assertEquals(0, heartbeatsTo(c, 3));
    for (int i = 2; i < 5; i++) {
      tickLeader(c); // "a" is unacknowledged and recent: its response will prove the follower alive
      assertEquals(0, heartbeatsTo(c, 2), "tick " + i + ": a follower owing a recent append's response");
    }
    tickLeader(c); // half an election timeout (5 of 10 ticks) without an answer: the append may be lost
    assertEquals(1, heartbeatsTo(c, 2));
    assertEquals(1, heartbeatsTo(c, 3));
  }

  @Test
  void withoutTheOptionEveryFollowerIsHeartbeated() {
    TestCluster c = new TestCluster(3, b -> {}, 11);
    c.elect(1);
    c.stabilize();
    c.network.clear();
    c.group(1).propose(TestCluster.bytes("a"));
    c.processReady(1);
    tickLeader(c);
    assertEquals(1, heartbeatsTo(c, 2));
    assertEquals(1, heartbeatsTo(c, 3));
  }

  @Test
  void aLostLastAppendIsStillRecoveredByTheHeartbeat() {
    TestCluster c = new TestCluster(3, b -> b.lazyCommitBroadcast(true).heartbeatIdleFollowersOnly(true), 11);
    c.elect(1);
    c.stabilize();
    c.group(1).propose(TestCluster.bytes("a"));
    c.processReady(1);
    c.network.clear(); // the only appends of "a" are lost
    long last = c.group(1).lastIndex();
    for (int i = 0; i < 6; i++) { // heartbeated again after half an election timeout (5 ticks)
      tickLeader(c);
      c.stabilize();
    }
    assertEquals(last, c.group(2).lastIndex(), "the heartbeat's response brought the append again");
    assertEquals(last, c.group(3).lastIndex());
    // Lazily, the commit index rides the next message: a later heartbeat (or, in the runtime, the
    // quiesce heartbeat a tick or two after the commit).
    for (int i = 0; i < 6; i++) {
      tickLeader(c);
      c.stabilize();
    }
    assertEquals(List.of("a"), c.appliedData(2));
    assertEquals(List.of("a"), c.appliedData(3));
  }
}
