package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A refused vote tells the candidate the voter's commit index, usable where their logs match. */
class VoteRefusalCommitTest {

  @Test
  void candidateLearnsCommitFromARefusal() {
    TestCluster c = new TestCluster(3, b -> b.checkQuorum(false), 7);
    c.elect(1);
    c.group(1).propose(TestCluster.bytes("a"));
    // "a" reaches 2 and 3, but only node 2 hears that it committed.
    c.processReady(1);
    c.deliver();
    c.processReady(2);
    c.processReady(3);
    c.deliver(m -> m.to == 3); // 3's acknowledgement is lost; 2's reaches the leader
    c.processReady(1);
    c.deliver(m -> m.to == 3); // the commit (and anything else) for 3 is lost
    c.processReady(2);
    c.processReady(3);
    long commitA = c.group(2).commitIndex();
    assertTrue(commitA > c.group(3).commitIndex(), "node 3 does not know 'a' committed");
    // Node 2 gets one more entry, so it refuses node 3's candidacy.
    c.group(1).propose(TestCluster.bytes("b"));
    c.processReady(1);
    c.deliver(m -> m.to == 3);
    c.processReady(2);
    c.network.clear();
    c.isolate(1);
    c.group(3).campaign();
    for (int i = 0; i < 5; i++) {
      c.processReady(3);
      c.deliver();
      c.processReady(2);
      c.deliver();
    }
    assertEquals(commitA, c.group(3).commitIndex(), "node 3 learned the commit from node 2's refusal");
    c.processReady(3);
    assertEquals(List.of("a"), c.appliedData(3));
  }
}
