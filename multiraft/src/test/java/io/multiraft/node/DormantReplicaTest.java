package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiraft.core.ConfState;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.SnapshotMeta;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica that may not campaign and knows no leader (here: an empty one waiting for its first
 * snapshot that never comes) stops ticking, and a message from a leader wakes it. Without this, a
 * leftover empty replica ticks for ever and the node is never idle.
 */
class DormantReplicaTest {
  private static final long TICK_NS = 10_000_000L;

  @Test
  void anEmptyReplicaWithoutALeaderSleepsUntilALeaderWritesToIt() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    MultiRaftNode node = new MultiRaftNode(NodeConfig.builder(1).workers(1).threaded(false).seed(1).tickIntervalNs(TICK_NS).build(),
        new MemoryLogStore(), t, g -> new CountingStateMachine(null, null), () -> now[0]);
    try {
      node.createGroup(9, new SnapshotMeta(0, 0, ConfState.EMPTY));
      advance(node, now, 5);
      assertEquals(0, node.activeGroups(), "an empty replica with no leader ticks for nothing");
      long ticks = node.counters().ticks.sum();
      advance(node, now, 50);
      assertEquals(ticks, node.counters().ticks.sum(), "a sleeping replica costs no ticks");

      t.inbound.receive(2, List.of(new Message(9, MessageType.HEARTBEAT, 2, 1, 6, 0, 0, null, 0, false, 0, null, 0)));
      advance(node, now, 3);
      assertEquals(1, node.activeGroups(), "a leader's message wakes it, and with a leader it keeps ticking");
    } finally {
      node.close();
    }
  }

  private static void advance(MultiRaftNode node, long[] now, int ticks) {
    for (int i = 0; i < ticks; i++) {
      now[0] += TICK_NS;
      for (int k = 0; k < 1_000 && node.pump(now[0]) > 0; k++) {
        // settle
      }
    }
  }
}
