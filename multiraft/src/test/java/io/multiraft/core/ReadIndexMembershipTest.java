package io.multiraft.core;

import static io.multiraft.core.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A read waiting for heartbeat acknowledgements when the voters change is decided by the new
 * voters: a leader left alone in its group gets no acknowledgements at all, so without this its
 * read would wait for ever (and the group could never go idle).
 */
class ReadIndexMembershipTest {

  @Test
  void aPendingReadCompletesWhenTheVotersShrinkToTheLeader() {
    TestCluster c = new TestCluster(2, b -> b.preVote(false).checkQuorum(false), 1);
    c.elect(1);
    c.group(1).propose(bytes("a"));
    c.stabilize();
    c.partition(Set.of(1L)); // node 2's acknowledgements never arrive
    int readies = c.readyLog.size();
    assertEquals(ProposeResult.ACCEPTED, c.group(1).readIndex(9));
    c.stabilize();
    assertTrue(answered(c, readies).isEmpty(), "one acknowledgement of two is no quorum");

    c.group(1).applyConfChange(ConfChange.remove(2));
    c.stabilize();
    List<ReadState> answered = answered(c, readies);
    assertEquals(1, answered.size(), "the leader alone is the quorum now: " + answered);
    assertEquals(9, answered.get(0).context());
  }

  @Test
  void aPendingLeaseReadCompletesWhenTheVotersShrinkToTheLeader() {
    TestCluster c = new TestCluster(2, b -> b.preVote(false).checkQuorum(true).readOnlyOption(ReadOnlyOption.LEASE_BASED), 1);
    c.elect(1);
    c.group(1).propose(bytes("a"));
    c.stabilize();
    c.partition(Set.of(1L));
    for (int i = 0; i < 8; i++) {
      c.group(1).tick(); // the lease from earlier acknowledgements runs out (checkQuorum has not yet looked)
    }
    c.stabilize();
    assertEquals(Role.LEADER, c.group(1).role());
    int readies = c.readyLog.size();
    assertEquals(ProposeResult.ACCEPTED, c.group(1).readIndex(9));
    c.stabilize();
    assertTrue(answered(c, readies).isEmpty(), "no lease, and one acknowledgement of two is no quorum");

    c.group(1).applyConfChange(ConfChange.remove(2));
    c.stabilize();
    List<ReadState> answered = answered(c, readies);
    assertEquals(1, answered.size(), "the leader alone is the quorum now: " + answered);
    assertEquals(9, answered.get(0).context());
  }

  private static List<ReadState> answered(TestCluster c, int from) {
    List<ReadState> out = new ArrayList<>();
    for (Ready rd : c.readyLog.subList(from, c.readyLog.size())) {
      out.addAll(rd.readStates());
    }
    return out;
  }
}
