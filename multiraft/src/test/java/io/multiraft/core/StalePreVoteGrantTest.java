package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A pre-vote grant counts only in the round that asked for it. A grant delayed in the network from
 * an earlier round (one proposing the term the pre-candidate has reached since) must not win the
 * current round: it would raise the term without a quorum's consent, which is what pre-vote exists
 * to prevent (range simulation seed 150885 on 36fe3ca: a replica removed while away got a stale
 * grant from a node that no longer held the range, campaigned past the leader's term and was then
 * never collected).
 */
class StalePreVoteGrantTest {

  @Test
  void aGrantFromAnEarlierPreVoteRoundDoesNotCount() {
    TestCluster c = new TestCluster(3);
    // Round one: node 3 asks for term 1; node 2's grant is held back in the network.
    c.group(3).campaign();
    c.processReady(3);
    c.deliver(m -> m.to != 2);
    c.processReady(2);
    Message stale = c.network.stream()
        .filter(m -> m.type == MessageType.PRE_VOTE_RESPONSE && m.from == 2 && m.to == 3 && !m.reject)
        .findFirst().orElseThrow();
    assertEquals(1, stale.term, "a grant carries the term its pre-vote proposed");
    c.network.remove(stale);
    c.network.removeIf(m -> m.to == 3); // node 3's own grant of round one, and anything else for it
    // Node 1 wins term 1; node 3 follows it.
    c.elect(1);
    assertEquals(1, c.group(3).term());
    assertEquals(Role.FOLLOWER, c.group(3).role());
    // Round two: node 3 asks for term 2, and no other node answers (node 1 still leads).
    c.isolate(3);
    c.group(3).campaign();
    c.processReady(3);
    c.deliver(); // node 3's own grant only: the cut drops its requests
    assertEquals(Role.PRE_CANDIDATE, c.group(3).role());
    long staleBefore = c.group(3).counters().staleTermMessages;
    c.group(3).step(stale);
    c.processReady(3);
    assertEquals(Role.PRE_CANDIDATE, c.group(3).role(), "round one's grant must not win round two");
    assertEquals(1, c.group(3).term(), "no term is raised without a quorum of grants for it");
    assertTrue(c.group(3).counters().staleTermMessages > staleBefore, "the late grant is counted as stale");
  }
}
