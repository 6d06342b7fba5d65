package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a group hands out while one of its Readies is being written: appends that need no
 * durability leave at once, and committed entries that are durable here go to the state machine,
 * so a busy leader's replication and apply do not wait for its own next write.
 */
class EarlyOutputTest {

  private static void persist(TestCluster c, long id, Ready rd) {
    TestCluster.Node n = c.node(id);
    n.storage.append(rd.entries());
    if (rd.hardState() != null) {
      n.storage.setHardState(rd.hardState());
    }
    c.network.addAll(rd.persistedMessages());
    n.group.advancePersisted(rd);
  }

  private static List<String> data(List<Entry> entries) {
    return entries.stream().filter(e -> e.data() != null && e.data().length > 0)
        .map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void appendsOfProposalsMadeDuringTheLeadersWriteLeaveAtOnce() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.stabilize();
    c.network.clear();
    RaftGroup leader = c.group(1);
    leader.propose(TestCluster.bytes("a"));
    Ready writingA = leader.ready();
    assertEquals(List.of("a"), data(writingA.entries()));
    leader.propose(TestCluster.bytes("b"));
    assertFalse(leader.hasReady(), "one Ready at a time");
    List<Message> early = leader.takeEarlyMessages();
    assertEquals(2, early.size(), "one append to each follower");
    for (Message m : early) {
      assertEquals(MessageType.APPEND, m.type);
      assertTrue(data(m.entries).contains("b"), "the append carries b: " + data(m.entries));
    }
    assertEquals(List.of(), leader.takeEarlyMessages(), "handed out once");
    persist(c, 1, writingA);
    assertEquals(List.of("b"), data(leader.ready().entries()), "b is still written by the next Ready");
  }

  @Test
  void aCommitLearnedDuringTheLeadersNextWriteIsAppliedAtOnceIfDurableHere() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.stabilize();
    c.network.clear();
    RaftGroup leader = c.group(1);
    leader.propose(TestCluster.bytes("a"));
    Ready writingA = leader.ready();
    c.network.addAll(writingA.messages());
    c.deliver();
    c.processReady(2);
    c.processReady(3); // the followers' acknowledgements of a wait in the network
    persist(c, 1, writingA);
    leader.propose(TestCluster.bytes("b"));
    Ready writingB = leader.ready();
    assertTrue(writingB.committedEntries().isEmpty());
    c.deliver(m -> m.to != 1);
    assertTrue(leader.commitIndex() >= writingA.entries().get(0).index(), "a is committed");
    assertFalse(leader.hasReady(), "b is still being written");
    assertEquals(List.of("a"), data(leader.takeDurableCommitted()));
    assertEquals(List.of(), leader.takeDurableCommitted(), "handed out once");
    persist(c, 1, writingB);
    assertTrue(data(leader.ready().committedEntries()).isEmpty(), "the next Ready does not hand a out again");
  }

  @Test
  void aCommittedEntryNotYetDurableHereWaitsForItsWrite() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.stabilize();
    c.network.clear();
    RaftGroup leader = c.group(1);
    leader.propose(TestCluster.bytes("a"));
    Ready writingA = leader.ready();
    c.network.addAll(writingA.messages());
    c.deliver();
    c.processReady(2);
    c.processReady(3);
    c.deliver(m -> m.to != 1); // both followers acknowledge a: committed, but not written here yet
    assertTrue(leader.commitIndex() >= writingA.entries().get(0).index());
    assertEquals(List.of(), leader.takeDurableCommitted());
    persist(c, 1, writingA);
    assertEquals(List.of("a"), data(leader.ready().committedEntries()));
  }
}
