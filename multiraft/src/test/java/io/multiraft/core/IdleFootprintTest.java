package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A node hosts tens of thousands of groups, nearly all idle: what an idle replica keeps on the
 * heap is the node's memory. These tests pin down what it must not keep, and that giving it back
 * changes nothing in how the group behaves when it wakes.
 */
class IdleFootprintTest {

  private static Raft raft(TestCluster c, long id) {
    return c.group(id).raft();
  }

  private static boolean anyInflightWindow(Raft r) {
    for (int i = 0; i < r.trk.size(); i++) {
      if (r.trk.at(i).holdsInflights()) {
        return true;
      }
    }
    return false;
  }

  // Breaks if a progress allocates its window up front, or quiescing keeps it: a window object per
  // member per group was the largest part of an idle replica (144 of ~2,200 bytes).
  @Test
  void aQuiescedLeaderGivesBackItsWindowsAndReadQueueAndGetsThemBackOnWake() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.group(1).propose(TestCluster.bytes("a"));
    c.stabilize();
    assertEquals(ProposeResult.ACCEPTED, c.group(1).readIndex(7));
    c.stabilize();
    assertTrue(anyInflightWindow(raft(c, 1)), "appends went out in REPLICATE state: the leader has a window");
    assertNotNull(raft(c, 1).readOnly, "a safe read was served: the leader has a read queue");

    assertTrue(c.group(1).canQuiesce());
    c.group(1).quiesce();
    c.group(1).dropIdleBuffers();
    c.stabilize();
    assertFalse(anyInflightWindow(raft(c, 1)), "a quiesced leader holds no inflight window");
    assertNull(raft(c, 1).readOnly, "nor a read queue");

    c.group(1).wake();
    c.group(1).propose(TestCluster.bytes("b"));
    c.group(1).propose(TestCluster.bytes("c"));
    c.stabilize();
    for (long id = 1; id <= 3; id++) {
      assertEquals(List.of("a", "b", "c"), c.appliedData(id), "node " + id);
    }
    assertTrue(anyInflightWindow(raft(c, 1)), "appends after waking make a window again");
  }

  // Breaks if followers allocate windows: only a leader sends appends.
  @Test
  void followersHoldNoInflightWindows() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    for (int i = 0; i < 5; i++) {
      c.group(1).propose(TestCluster.bytes("x" + i));
      c.stabilize();
    }
    assertFalse(anyInflightWindow(raft(c, 2)));
    assertFalse(anyInflightWindow(raft(c, 3)));
    assertNull(raft(c, 2).readOnly);
  }

  // Breaks if each group builds its own quorum configuration: groups of the same voters share one
  // (two majorities, their id arrays: over 100 bytes a group), which must therefore be immutable.
  @Test
  void groupsOfTheSameVotersShareOneQuorumConfiguration() {
    TestCluster a = new TestCluster(3);
    TestCluster b = new TestCluster(3);
    a.elect(1);
    b.elect(2);
    assertSame(raft(a, 1).trk.voters, raft(b, 3).trk.voters);
    assertSame(raft(a, 1).trk.voters, raft(a, 2).trk.voters);
    a.group(1).propose(TestCluster.bytes("a"));
    b.group(2).propose(TestCluster.bytes("b"));
    a.stabilize();
    b.stabilize();
    assertEquals(List.of("a"), a.appliedData(3));
    assertEquals(List.of("b"), b.appliedData(1));
  }

  // Breaks if a group keeps its own config (~100 bytes), or if sharing one loses a group's own
  // values: its id, the applied index it restarts from, its fast first election.
  @Test
  void groupsOfTheSameSettingsShareOneConfigAndKeepTheirOwnValues() {
    MemoryStorage s5 = ClusterOps.storage(ClusterOps.ids(1, 2, 3), new long[] {1, 1, 1}, new HardState(1, 0, 3));
    MemoryStorage s6 = ClusterOps.storage(ClusterOps.ids(1, 2, 3), new long[] {1, 1, 1}, new HardState(1, 0, 1));
    RaftGroup g5 = new RaftGroup(RaftConfig.builder(5, 1).appliedIndex(2).build(), s5, new SplittableRandom(5));
    RaftGroup g6 = new RaftGroup(RaftConfig.builder(6, 1).appliedIndex(3).fastFirstElection(true).build(), s6,
        new SplittableRandom(6));
    assertSame(g5.raft().cfg, g6.raft().cfg);
    assertEquals(5, g5.groupId());
    assertEquals(6, g6.groupId());
    assertEquals(2, g5.appliedIndex());
    assertEquals(3, g6.appliedIndex(), "the applied index proves entries committed the hard state did not record");
    assertEquals(3, g6.commitIndex());
    int ticks5 = ticksToCampaign(g5);
    int ticks6 = ticksToCampaign(g6);
    assertTrue(ticks6 < ticks5, "fast first election: " + ticks6 + " ticks against " + ticks5);
  }

  private static int ticksToCampaign(RaftGroup g) {
    for (int t = 1; t <= 100; t++) {
      g.tick();
      if (g.role() != Role.FOLLOWER) {
        return t;
      }
    }
    throw new AssertionError("group " + g.groupId() + " never campaigned");
  }
}
