package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.GroupStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A group that gets a write now and then (most groups of a node with thousands) goes back to sleep
 * as soon as that write is done, on every replica, without a tick; a group written again right
 * after it slept keeps ticking between writes, as a steady writer's should.
 */
class SparseQuiesceTest {
  private static final long TICK_NS = 50_000_000L;

  @Test
  void aSparseGroupSleepsAgainAsSoonAsItsWriteIsDoneWithoutATick() {
    try (LocalCluster c = new LocalCluster(3, false, TICK_NS)) {
      long leader = startIdleGroup(c);
      c.advanceTicks(3); // asleep for whole ticks: the next write finds a sparse group
      long ticks = ticks(c);
      long early = c.node(leader).counters().quiescedEarly.sum();
      long commit = status(c, leader).commit();

      CompletableFuture<Object> f = c.node(leader).propose(1, "x".getBytes(StandardCharsets.UTF_8));
      c.settle(); // no virtual time passes

      assertTrue(f.isDone(), "the write is applied without a tick");
      assertEquals(0, activeGroups(c), "every replica sleeps again at once");
      assertEquals(ticks, ticks(c), "no replica ticked for the write");
      assertEquals(early + 1, c.node(leader).counters().quiescedEarly.sum(), "the leader quiesced early");
      for (long id : c.nodes.keySet()) {
        assertEquals(commit + 1, status(c, id).commit(), "node " + id + " learned the commit from the final heartbeat");
      }
    }
  }

  @Test
  void aGroupWrittenAgainRightAfterItSleptWaitsForATickWithoutWrites() {
    try (LocalCluster c = new LocalCluster(3, false, TICK_NS)) {
      long leader = startIdleGroup(c);
      c.advanceTicks(3);
      c.node(leader).propose(1, "a".getBytes(StandardCharsets.UTF_8));
      c.settle();
      assertEquals(0, activeGroups(c), "the sparse write's group slept at once");
      long early = c.node(leader).counters().quiescedEarly.sum();

      CompletableFuture<Object> f = c.node(leader).propose(1, "b".getBytes(StandardCharsets.UTF_8));
      c.settle();
      assertTrue(f.isDone(), "applied");
      assertEquals(1, c.node(leader).activeGroups(), "woken within a tick of sleeping: the leader stays awake for the next write");
      c.advanceTicks(3);
      assertEquals(0, activeGroups(c), "after a tick without writes it sleeps");
      assertEquals(early, c.node(leader).counters().quiescedEarly.sum(), "by the tick rule, not early");
    }
  }

  /** One 3-voter group, elected and quiesced; returns its leader. */
  private static long startIdleGroup(LocalCluster c) {
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (MultiRaftNode n : c.nodes.values()) {
      fs.add(n.createGroup(1, c.voters()));
    }
    c.settle();
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(10, TimeUnit.SECONDS).join();
    c.await("a leader, and the group idle", () -> c.agreedLeader(1) > 0 && activeGroups(c) == 0, 60_000);
    return c.agreedLeader(1);
  }

  private static GroupStatus status(LocalCluster c, long node) {
    return c.status(node, 1);
  }

  private static long ticks(LocalCluster c) {
    return c.nodes.values().stream().mapToLong(n -> n.counters().ticks.sum()).sum();
  }

  private static int activeGroups(LocalCluster c) {
    return c.nodes.values().stream().mapToInt(MultiRaftNode::activeGroups).sum();
  }
}
