package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Role;
import io.multiraft.core.SnapshotMeta;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A split creates the right range on each replica when that replica applies it; the left leader
 * applies first and campaigns at once. Its vote requests must not be lost on followers that create
 * the group a moment later, or the new range waits a whole election timeout for a leader.
 */
class EarlyVoteTest {
  private static final long TICK_NS = 50_000_000L;
  private static final SnapshotMeta AT_SPLIT = new SnapshotMeta(MultiRaftNode.INITIAL_INDEX, MultiRaftNode.INITIAL_TERM,
      ConfState.of(Set.of(1L, 2L, 3L), Set.of()));

  @Test
  void voteRequestsThatArriveBeforeTheGroupIsCreatedAreAnsweredOnceItIs() {
    try (LocalCluster c = new LocalCluster(3, false, TICK_NS)) {
      c.node(1).createGroup(7, AT_SPLIT);
      c.settle();
      c.node(1).campaign(7);
      c.settle();
      assertTrue(c.node(2).counters().unknownGroupMessages.sum() > 0, "node 2 did not host group 7 yet");
      c.node(2).createGroup(7, AT_SPLIT);
      c.node(3).createGroup(7, AT_SPLIT);
      c.settle(); // no tick passes: only the held requests can elect node 1
      assertEquals(Role.LEADER, c.status(1, 7).role());
    }
  }

  @Test
  void heldRequestsExpireAndOnlyVoteRequestsAreHeld() {
    EarlyMessages early = new EarlyMessages(1_000);
    Message vote = message(MessageType.VOTE, 7);
    assertTrue(early.hold(vote, 0));
    assertFalse(early.hold(message(MessageType.APPEND, 7), 0), "appends are sent again; not worth holding");
    assertTrue(early.hold(message(MessageType.PRE_VOTE, 8), 500));
    assertEquals(2, early.size());
    assertTrue(early.hold(message(MessageType.VOTE, 9), 1_000)); // group 7's request is a time to live old: gone
    assertEquals(0, early.take(7).size());
    assertEquals(1, early.take(8).size());
    assertEquals(0, early.take(8).size(), "handed over once");
    for (int i = 0; i < 100; i++) {
      early.hold(message(MessageType.VOTE, 10), 1_000);
    }
    assertEquals(8, early.take(10).size(), "a group holds a few requests at most");
  }

  private static Message message(MessageType type, long group) {
    return Message.builder(type).group(group).from(1).to(2).term(6).build();
  }
}
