package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica created empty (no membership, waiting for its first snapshot) is what the range store
 * creates for a member whose replica was lost, or one being added. Found by the range store
 * simulator: such a replica must not vote, and its leader must see that it starts from nothing.
 */
class UninitializedReplicaTest {

  private static Message voteRequest(long from, long to, long term, long lastTerm, long lastIndex) {
    return new Message(TestCluster.GROUP, MessageType.VOTE, from, to, term, lastTerm, lastIndex, null, 0, false, 0, null, 0);
  }

  private static Message lastResponse(TestCluster c, long from) {
    Message last = null;
    for (Message m : c.sent) {
      if (m.from == from && m.type == MessageType.VOTE_RESPONSE) {
        last = m;
      }
    }
    return last;
  }

  @Test
  void anEmptyReplicaDoesNotVote() {
    TestCluster c = new TestCluster(3);
    c.add(4, new MemoryStorage()); // membership unknown: awaits its snapshot
    c.group(4).step(voteRequest(2, 4, 5, 0, 0));
    c.processReady(4);
    assertTrue(lastResponse(c, 4).reject, "an uninitialized replica refuses to vote");
  }

  @Test
  void anEmptyReplicaVotesWhenItsNodeNeverHeldTheGroup() {
    // A split's right range reached this node only as an empty replica: with emptyReplicaVotes it
    // votes like a fresh node (its log is empty: any candidate is up to date), durably.
    TestCluster c = new TestCluster(3, b -> b.emptyReplicaVotes(true), 42);
    c.add(4, new MemoryStorage());
    c.group(4).step(voteRequest(2, 4, 5, 0, 0));
    c.processReady(4);
    assertFalse(lastResponse(c, 4).reject, "an empty replica on a node that never held the group votes");
    assertEquals(2, c.node(4).storage.hardState().vote(), "its vote is persisted with the response");
    c.group(4).step(voteRequest(3, 4, 5, 0, 0));
    c.processReady(4);
    assertTrue(lastResponse(c, 4).reject, "one vote per term");
  }

  @Test
  void anInitializedReplicaStillVotes() {
    TestCluster c = new TestCluster(3);
    c.group(3).step(voteRequest(2, 3, 5, 0, 0));
    c.processReady(3);
    assertFalse(lastResponse(c, 3).reject, "a member with a membership votes as before");
  }

  @Test
  void aFollowerRecreatedEmptyIsCaughtUpFromScratch() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    for (int i = 0; i < 5; i++) {
      c.group(1).propose(TestCluster.bytes("v" + i));
      c.stabilize();
    }
    long last = c.group(1).lastIndex();
    assertEquals(last, c.group(3).lastIndex());
    // Node 3's replica is lost and created again empty; the leader still believes it matches.
    c.add(3, new MemoryStorage());
    c.group(1).propose(TestCluster.bytes("after"));
    c.stabilize();
    assertEquals(c.group(1).lastIndex(), c.group(3).lastIndex(), "the re-created follower caught up");
    assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "after"),
        c.appliedData(3).stream().filter(s -> !s.isEmpty()).toList());
  }
}
