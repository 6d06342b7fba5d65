package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A candidate leads only once its own vote, and with it its term, is durable, even when the
 * others' votes are already a quorum. Leading earlier, a crash before its hard state reached the
 * disk restarted it in the previous term; the same voters elected it in the same term again, and
 * its second leadership, with a shorter log, could write other entries at an (index, term) its
 * followers held from the first (multiraft sim seed 18425).
 */
class CandidateOwnVoteTest {

  @Test
  void theOthersVotesDoNotMakeALeaderBeforeItsOwnVoteIsDurable() {
    TestCluster c = new TestCluster(3);
    c.group(1).campaign();
    for (int round = 0; round < 20 && c.group(1).role() != Role.CANDIDATE; round++) {
      for (long id = 1; id <= 3; id++) {
        c.processReady(id);
      }
      c.deliver();
    }
    assertEquals(Role.CANDIDATE, c.group(1).role());
    // The candidate's Ready: its vote requests go out, its term and vote are not yet written.
    Ready rd = c.group(1).ready();
    assertTrue(rd.hardState() != null && rd.hardState().vote() == 1, "the Ready carries its own vote");
    c.network.addAll(rd.messages());
    c.deliver();
    c.processReady(2);
    c.processReady(3);
    c.deliver(); // both grants reach the candidate
    assertEquals(Role.CANDIDATE, c.group(1).role(), "two grants of three, but its own vote is not durable");
    assertTrue(c.group(1).counters().votesAwaitingOwn > 0);
    // The write completes: its own vote comes back, and the election is won.
    c.node(1).storage.append(rd.entries());
    c.node(1).storage.setHardState(rd.hardState());
    c.network.addAll(rd.persistedMessages());
    c.group(1).advance(rd);
    c.deliver();
    assertEquals(Role.LEADER, c.group(1).role());
    assertEquals(rd.hardState().term(), c.group(1).term());
  }
}
