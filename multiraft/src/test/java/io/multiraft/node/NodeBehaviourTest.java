package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.GroupStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runtime's behaviours around Raft: back-pressure, snapshots, ordered shutdown. */
class NodeBehaviourTest {

  private static long leaderOf(LocalCluster c, long group) {
    c.await("leader of group " + group, () -> c.agreedLeader(group) != 0, 60_000);
    return c.agreedLeader(group);
  }

  private static void create(LocalCluster c, long group) {
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (MultiRaftNode n : c.nodes.values()) {
      fs.add(n.createGroup(group, c.voters()));
    }
    if (!c.threaded) {
      c.settle();
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Lesson 18: a state machine that blocks stalls its group's apply, not the raft loop. */
  @Test
  void slowStateMachineDoesNotStallRaft() {
    try (LocalCluster c = new LocalCluster(3, true, 10_000_000L, b -> b.applyQueueCapacity(4).workers(1))) {
      CountDownLatch gate = new CountDownLatch(1);
      c.gates.put(1L, gate);
      create(c, 1);
      create(c, 2);
      long leader1 = leaderOf(c, 1);
      long leader2 = leaderOf(c, 2);
      long term1 = c.status(leader1, 1).term();
      List<CompletableFuture<Object>> blocked = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        blocked.add(c.node(leader1).propose(1, new byte[] {(byte) i}));
      }
      long commit2 = c.status(leader2, 2).commit();
      List<CompletableFuture<Object>> others = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        others.add(c.node(leader2).propose(2, new byte[] {1}));
      }
      // While the apply thread is stuck in group 1's state machine, Raft goes on: group 2 commits
      // its writes on every replica, and group 1 commits all 200 and keeps its leader and term.
      c.await("group 2 commits", () -> c.nodes.keySet().stream().allMatch(id -> c.status(id, 2).commit() >= commit2 + 20), 30_000);
      c.await("group 1 commits", () -> c.status(leader1, 1).commit() >= c.status(leader1, 1).lastIndex()
          && c.status(leader1, 1).lastIndex() >= 200, 30_000);
      GroupStatus s = c.status(leader1, 1);
      assertEquals(term1, s.term(), "no election while the state machine was slow");
      assertEquals(leader1, s.leader());
      assertFalse(blocked.get(blocked.size() - 1).isDone(), "group 1 cannot apply while its state machine blocks");
      gate.countDown();
      CompletableFuture.allOf(blocked.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
      CompletableFuture.allOf(others.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
      assertEquals(200L, blocked.get(blocked.size() - 1).join());
      assertEquals(20L, others.get(others.size() - 1).join());
    }
  }

  /** Lessons 7, 8, 11, 12: a replica behind the compaction point is rebuilt from an asynchronous snapshot. */
  @Test
  void laggingReplicaCatchesUpBySnapshot() {
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L, b -> b.snapshotEveryEntries(20).compactionMarginEntries(5))) {
      create(c, 1);
      long leader = leaderOf(c, 1);
      long lagger = leader == 3 ? 2 : 3;
      c.transport.isolate(lagger);
      List<CompletableFuture<Object>> fs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        fs.add(c.node(leader).propose(1, new byte[] {(byte) i}));
        c.settle();
      }
      c.await("writes applied by the majority", () -> fs.stream().allMatch(CompletableFuture::isDone), 30_000);
      assertTrue(c.node(leader).counters().compactions.sum() > 0, "the leader compacted its log");
      c.transport.heal(lagger);
      c.await("lagging replica caught up", () -> c.machines.get(lagger).get(1L).count == 100, 60_000);
      assertTrue(c.machines.get(lagger).get(1L).restores > 0, "it was rebuilt from a snapshot");
      assertEquals(c.machines.get(leader).get(1L).hash, c.machines.get(lagger).get(1L).hash);
    }
  }

  /** Lesson 22: close stops the raft loop first, then the writer; pending and later requests fail fast. */
  @Test
  void closeIsOrderedAndFailsRequests() {
    LocalCluster c = new LocalCluster(3, true, 10_000_000L);
    create(c, 1);
    long leader = leaderOf(c, 1);
    long follower = leader == 1 ? 2 : 1;
    c.stop(follower == 2 ? 3 : 2); // one peer gone: the next proposal still commits with two
    MultiRaftNode n = c.node(follower);
    n.close();
    CompletionException e = assertThrows(CompletionException.class, () -> n.propose(1, new byte[] {1}).join());
    assertInstanceOf(RaftException.NodeClosed.class, e.getCause());
    // With the follower closed too, the leader cannot commit: its request times out with a reason.
    CompletableFuture<Object> stuck = c.node(leader).propose(1, new byte[] {2});
    e = assertThrows(CompletionException.class, () -> stuck.orTimeout(60, TimeUnit.SECONDS).join());
    assertInstanceOf(RaftException.Timeout.class, e.getCause());
    c.close();
  }
}
