package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.ReadOnlyOption;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotMeta;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
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

  @Test
  void aLearnerThatAStrayMessageWokeSleepsAgainWhenItsLeaderStaysSilent() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    MultiRaftNode node = new MultiRaftNode(NodeConfig.builder(1).workers(1).threaded(false).seed(1).tickIntervalNs(TICK_NS).build(),
        new MemoryLogStore(), t, g -> new CountingStateMachine(null, null), () -> now[0]);
    try {
      node.createGroup(9, new SnapshotMeta(5, 1, ConfState.of(Set.of(2L, 3L), Set.of(1L))));
      advance(node, now, 5);
      assertEquals(0, node.activeGroups(), "a learner that knows no leader sleeps");
      // The leader's last heartbeat before it quiesced, arriving late: the learner wakes with a leader.
      t.inbound.receive(2, List.of(new Message(9, MessageType.HEARTBEAT, 2, 1, 1, 0, 0, null, 5, false, 0, null, 0)));
      advance(node, now, 3);
      assertEquals(1, node.activeGroups(), "woken, it ticks while its leader may still speak");
      advance(node, now, 50);
      assertEquals(0, node.activeGroups(), "no word from the leader for an election timeout: it sleeps again");
      long ticks = node.counters().ticks.sum();
      advance(node, now, 50);
      assertEquals(ticks, node.counters().ticks.sum(), "and costs no ticks");
    } finally {
      node.close();
    }
  }

  /**
   * An empty replica that heard from its leader but not its snapshot (still in flight, or delayed
   * past an election timeout under load) forgets the leader and sleeps; the snapshot, when it comes,
   * wakes it, is installed and acknowledged, and the replica then follows its leader's appends.
   */
  @Test
  void anEmptyReplicaThatForgotItsLeaderInstallsTheLateSnapshotAndCatchesUp() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    CountingStateMachine sm = new CountingStateMachine(null, null);
    MultiRaftNode node = new MultiRaftNode(NodeConfig.builder(1).workers(1).threaded(false).seed(1).tickIntervalNs(TICK_NS).build(),
        new MemoryLogStore(), t, g -> sm, () -> now[0]);
    try {
      node.createGroup(9, new SnapshotMeta(0, 0, ConfState.EMPTY));
      advance(node, now, 5);
      // The leader (2, term 2) probes: the empty replica rejects, and the leader sends its snapshot.
      t.inbound.receive(2, List.of(new Message(9, MessageType.APPEND, 2, 1, 2, 2, 7, null, 7, false, 0, null, 0)));
      advance(node, now, 1);
      assertEquals(2, status(node, now).leader(), "it heard from its leader");
      advance(node, now, 50);
      assertEquals(0, node.activeGroups(), "no word for an election timeout: it forgets the leader and sleeps");
      assertEquals(0, status(node, now).leader());

      ConfState conf = ConfState.of(Set.of(2L, 3L), Set.of(1L));
      byte[] data = ByteBuffer.allocate(24).putLong(4).putLong(44).putLong(7).array();
      t.sent.clear();
      t.inbound.receive(2, List.of(new Message(9, MessageType.SNAPSHOT, 2, 1, 2, 0, 0, null, 0, false, 0,
          new Snapshot(new SnapshotMeta(7, 2, conf), data), 0)));
      advance(node, now, 3);
      assertEquals(1, sm.restores, "the late snapshot woke it and was installed");
      assertTrue(t.sent.stream().anyMatch(m -> m.type == MessageType.APPEND_RESPONSE && m.to == 2 && !m.reject && m.index == 7),
          "and acknowledged to the leader: " + t.sent);

      byte[] cmd = {1};
      t.inbound.receive(2, List.of(new Message(9, MessageType.APPEND, 2, 1, 2, 2, 7,
          List.of(new Entry(2, 8, EntryType.NORMAL, cmd)), 8, false, 0, null, 0)));
      advance(node, now, 3);
      GroupStatus st = status(node, now);
      assertEquals(8, st.applied(), "it follows the leader's appends: " + st);
      assertEquals(2, st.leader());
    } finally {
      node.close();
    }
  }

  /**
   * In lease mode a replica that lost its leader refuses votes for an election timeout (that
   * leader may still answer reads on a lease it granted), and the guard runs out only by ticks. A
   * replica that may not campaign slept at once, and each vote request that woke it restarted its
   * election timer: it refused every one for ever. Here it is a learner; in lease simulation seed
   * 20115 it was a voter that had not learned it was one again, and the others needed its vote.
   */
  @Test
  void aReplicaThatMayNotCampaignGrantsVotesOnceItsLeaseGuardIsOver() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    MultiRaftNode node = new MultiRaftNode(NodeConfig.builder(1).workers(1).threaded(false).seed(1).tickIntervalNs(TICK_NS)
        .raftTweaks(b -> b.readOnlyOption(ReadOnlyOption.LEASE_BASED)).build(),
        new MemoryLogStore(), t, g -> new CountingStateMachine(null, null), () -> now[0]);
    try {
      node.createGroup(9, new SnapshotMeta(5, 1, ConfState.of(Set.of(2L, 3L), Set.of(1L))));
      t.inbound.receive(2, List.of(new Message(9, MessageType.HEARTBEAT, 2, 1, 1, 0, 0, null, 5, false, 0, null, 0)));
      advance(node, now, 2);
      t.inbound.nodeUnreachable(2); // its leader is gone: the lease guard starts
      advance(node, now, 1);
      int electionTicks = node.config().electionTicks();
      Message preVote = new Message(9, MessageType.PRE_VOTE, 3, 1, 2, 1, 5, null, 0, false, 0, null, 0);
      t.sent.clear();
      t.inbound.receive(3, List.of(preVote));
      advance(node, now, 1);
      assertTrue(t.sent.stream().noneMatch(m -> m.type == MessageType.PRE_VOTE_RESPONSE),
          "within an election timeout of its leader, it refuses: " + t.sent);
      boolean granted = false;
      for (int tick = 0; tick < 2 * electionTicks && !granted; tick++) {
        if (tick % 3 == 0) { // the candidate retries
          t.inbound.receive(3, List.of(preVote));
        }
        advance(node, now, 1);
        granted = t.sent.stream().anyMatch(m -> m.type == MessageType.PRE_VOTE_RESPONSE && m.to == 3 && !m.reject);
      }
      assertTrue(granted, "once the guard is over it grants the candidate's pre-vote: " + t.sent);
      advance(node, now, 2 * electionTicks);
      assertEquals(0, node.activeGroups(), "with its guard over, it sleeps again");
    } finally {
      node.close();
    }
  }

  private static GroupStatus status(MultiRaftNode node, long[] now) {
    var f = node.status(9);
    node.pump(now[0]);
    return f.join();
  }

  /**
   * A follower holding an old term's uncommitted tail past its new leader's log sleeps with that
   * leader when it quiesces. It waited for an append to truncate the tail, which an idle leader
   * never sends: it ticked and campaigned in vain for ever (sim seed 18425).
   */
  @Test
  void aFollowerWithAnOldTermsTailSleepsWhenItsLeaderQuiesces() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    MultiRaftNode node = new MultiRaftNode(NodeConfig.builder(1).workers(1).threaded(false).seed(1).tickIntervalNs(TICK_NS).build(),
        new MemoryLogStore(), t, g -> new CountingStateMachine(null, null), () -> now[0]);
    try {
      node.createGroup(9, new SnapshotMeta(5, 1, ConfState.of(Set.of(1L, 2L, 3L), Set.of())));
      advance(node, now, 1);
      // Leader 2 of term 1 appends 6 and 7; neither commits.
      t.inbound.receive(2, List.of(new Message(9, MessageType.APPEND, 2, 1, 1, 1, 5,
          List.of(Entry.normal(1, 6, new byte[] {1}), Entry.normal(1, 7, new byte[] {2})), 5, false, 0, null, 0)));
      advance(node, now, 1);
      // Leader 3 of term 2 has neither, commits nothing more, and goes idle.
      t.inbound.receive(3, List.of(new Message(9, MessageType.HEARTBEAT, 3, 1, 2, 0, 0, null, 5, false, 0, null, Message.QUIESCE)));
      advance(node, now, 1);
      GroupStatus st = status(node, now);
      assertEquals(3, st.leader());
      assertEquals(7, st.lastIndex(), "the old tail is still there: " + st);
      assertEquals(0, node.activeGroups(), "it sleeps with its leader");
    } finally {
      node.close();
    }
  }

  /**
   * A leader's quiesce heartbeat overtaken by its next append (it woke for a write) must not put
   * its follower to sleep with that entry's commit unknown: the leader's next quiesce heartbeat,
   * carrying it, may be lost, and then nothing would tell the sleeping follower (sim seed 46861).
   */
  @Test
  void aFollowerHoldingItsLeadersNewerEntryStaysAwakeOnAStaleQuiesce() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    MultiRaftNode node = new MultiRaftNode(NodeConfig.builder(1).workers(1).threaded(false).seed(1).tickIntervalNs(TICK_NS).build(),
        new MemoryLogStore(), t, g -> new CountingStateMachine(null, null), () -> now[0]);
    try {
      node.createGroup(9, new SnapshotMeta(5, 1, ConfState.of(Set.of(1L, 2L, 3L), Set.of())));
      advance(node, now, 1);
      // Leader 2 of term 1 appends 6 (commit 5), and only then does its earlier quiesce heartbeat arrive.
      t.inbound.receive(2, List.of(new Message(9, MessageType.APPEND, 2, 1, 1, 1, 5,
          List.of(Entry.normal(1, 6, new byte[] {1})), 5, false, 0, null, 0)));
      advance(node, now, 1);
      t.inbound.receive(2, List.of(new Message(9, MessageType.HEARTBEAT, 2, 1, 1, 0, 0, null, 5, false, 0, null, Message.QUIESCE)));
      advance(node, now, 1);
      GroupStatus st = status(node, now);
      assertEquals(2, st.leader());
      assertEquals(6, st.lastIndex(), st.toString());
      assertEquals(1, node.activeGroups(), "it waits awake for the commit of 6");
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
