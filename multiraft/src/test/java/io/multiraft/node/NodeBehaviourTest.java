package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.GroupStatus;
import io.multiraft.core.LogStorage;
import io.multiraft.core.Role;
import io.multiraft.spi.Clock;
import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runtime's behaviours around Raft: back-pressure, snapshots, crashes, group removal, ordered shutdown. */
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
  /**
   * A follower learns that a membership change committed from a later message that carries only
   * the commit index, which is usually not written (a restart learns it again from the leader).
   * Past a membership change it is: a removed leader that restarted without it could not tell the
   * remaining voters that its removal committed, and the group never elected again (sim seed 2503).
   */
  @Test
  void aCommitIndexPastAMembershipChangeIsPersisted() {
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L)) {
      create(c, 1);
      long leader = leaderOf(c, 1);
      long follower = leader == 1 ? 2 : 1;
      c.node(leader).propose(1, new byte[] {1});
      c.settle();
      var changed = c.node(leader).changeMembership(1, io.multiraft.core.ConfChange.addLearner(9));
      c.await("the learner added", changed::isDone, 10_000);
      long confIndex = c.status(leader, 1).lastIndex();
      c.await("the follower applied the change", () -> c.status(follower, 1).applied() >= confIndex, 10_000);
      long stored = c.stores.get(follower).storage(1).initialState().hardState().commit();
      assertTrue(stored >= confIndex, "the follower's stored commit index " + stored + " covers the membership change at " + confIndex);
    }
  }

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
    c.stop(6 - leader - follower); // the third node (never the leader) gone: the next proposal still commits with two
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

  /**
   * Lesson 12: a follower that crashes while installing a snapshot, before its state machine was
   * restored from it, ends with the leader's state. (Persisting the snapshot's Raft position first
   * lost the entries it covered: the log said "applied", the durable state machine had old data.)
   */
  @Test
  void crashBeforeSnapshotRestoreLosesNothing() {
    crashWhileInstallingSnapshot(true);
  }

  /**
   * A held snapshot older than the state machine's floor is not sent: after an entry that raises it
   * (a range merge, whose replay needs data the snapshot does not carry), a lagging follower gets a
   * fresh snapshot that includes that entry, not the one taken before it.
   */
  @Test
  void aSnapshotBelowTheFloorIsNotSent() {
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L, b -> b.snapshotEveryEntries(20).compactionMarginEntries(5))) {
      create(c, 1);
      long leader = leaderOf(c, 1);
      long lagger = leader == 3 ? 2 : 3;
      c.transport.isolate(lagger);
      proposeAll(c, leader, 0, 100);
      List<CompletableFuture<Object>> fs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        fs.add(c.node(leader).propose(1, new byte[] {(byte) i}));
      }
      fs.add(c.node(leader).propose(1, CountingStateMachine.RAISE_FLOOR));
      c.await("the floor entry applied on the leader", () -> fs.stream().allMatch(CompletableFuture::isDone), 30_000);
      CountingStateMachine leaderSm = c.machines.get(leader).get(1L);
      assertEquals(105, leaderSm.count);
      assertTrue(c.node(leader).counters().compactions.sum() > 0, "the leader compacted its log: the lagger needs a snapshot");
      c.transport.heal(lagger);
      CountingStateMachine laggerSm = c.machines.get(lagger).get(1L);
      c.await("lagging replica caught up", () -> laggerSm.count == 105, 60_000);
      assertTrue(laggerSm.restores > 0, "it was rebuilt from a snapshot");
      assertEquals(105, laggerSm.restoredCount, "the snapshot it got includes the entry that raised the floor");
      assertEquals(leaderSm.hash, laggerSm.hash);
    }
  }

  /**
   * The commit index is synced lazily, so a crash may set it back behind what the state machine
   * applied. A restart takes the applied index as committed when the log holds that entry from the
   * same term: otherwise a leader restarted so cannot snapshot until it commits in its new term,
   * which may need the follower that waits for the snapshot (range store sim seed 50442).
   */
  @Test
  void aRestartTakesWhatTheStateMachineAppliedAsCommitted() {
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L, b -> b, true)) {
      create(c, 1);
      long leader = leaderOf(c, 1);
      long follower = leader == 3 ? 2 : 3;
      proposeAll(c, leader, 0, 20);
      c.await("the follower applied every write", () -> c.machines.get(follower).get(1L).count == 20, 30_000);
      CountingStateMachine.Disk disk = c.disks.get(follower).get(1L);
      long applied = disk.appliedIndex;
      c.transport.isolate(follower); // it learns nothing from the leader after the restart
      c.crash(follower);
      c.settle();
      GroupStatus s = c.status(follower, 1);
      assertEquals(applied, s.commit(), "the commit index the state machine proves");
      assertEquals(applied, s.applied());
      assertEquals(20, c.machines.get(follower).get(1L).count, "nothing applied twice");
    }
  }

  /** Lesson 12, the other side: a crash right after the restore, before Raft persisted the snapshot, applies nothing twice. */
  @Test
  void crashAfterSnapshotRestoreAppliesNothingTwice() {
    crashWhileInstallingSnapshot(false);
  }

  /**
   * A state machine that throws from restore stops its own group, not the node: the apply thread
   * died with it, and every group it served stopped applying, without a word to the embedder.
   */
  @Test
  void aRestoreThatThrowsStopsItsGroupNotTheNode() {
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L, b -> b.snapshotEveryEntries(20).compactionMarginEntries(5), true)) {
      create(c, 1);
      create(c, 2);
      long leader = leaderOf(c, 1);
      long lagger = leader == 3 ? 2 : 3;
      c.transport.isolate(lagger);
      proposeAll(c, leader, 0, 100);
      assertTrue(c.node(leader).counters().compactions.sum() > 0, "the leader compacted its log: the lagger needs a snapshot");
      c.disks.get(lagger).get(1L).refuseRestore = true;
      c.transport.heal(lagger);
      c.await("the lagger's restore was refused", () -> c.node(lagger).counters().snapshotRestoresFailed.sum() == 1, 60_000);
      long leader2 = leaderOf(c, 2);
      List<CompletableFuture<Object>> fs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        fs.add(c.node(leader2).propose(2, new byte[] {(byte) i}));
      }
      c.await("the lagger applies another group's writes", () -> c.machines.get(lagger).get(2L).count == 5, 30_000);
      assertEquals(null, c.node(lagger).failure());
    }
  }

  private static void crashWhileInstallingSnapshot(boolean beforeRestore) {
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L, b -> b.snapshotEveryEntries(20).compactionMarginEntries(5), true)) {
      create(c, 1);
      long leader = leaderOf(c, 1);
      long lagger = leader == 3 ? 2 : 3;
      // The lagger applies some writes first: its durable state machine holds state to go stale.
      proposeAll(c, leader, 0, 10);
      c.await("the lagger applied the first writes", () -> c.machines.get(lagger).get(1L).count == 10, 30_000);
      c.transport.isolate(lagger);
      proposeAll(c, leader, 10, 100);
      assertTrue(c.node(leader).counters().compactions.sum() > 0, "the leader compacted its log");
      CountingStateMachine.Disk disk = c.disks.get(lagger).get(1L);
      if (beforeRestore) {
        disk.crashBeforeRestore = true;
      } else {
        disk.crashAfterRestore = true;
      }
      c.transport.heal(lagger);
      boolean crashed = false;
      for (int i = 0; i < 1_000 && !crashed; i++) {
        try {
          c.advanceTicks(1);
        } catch (CountingStateMachine.SimulatedCrash e) {
          crashed = true;
        }
      }
      assertTrue(crashed, "the lagger was sent a snapshot and crashed installing it");
      c.crash(lagger);
      CountingStateMachine leaderSm = c.machines.get(leader).get(1L);
      c.await("the restarted lagger has the leader's state", () -> c.machines.get(lagger).get(1L).count == leaderSm.count
          && c.machines.get(lagger).get(1L).hash == leaderSm.hash, 60_000);
      // The group goes on, and the lagger applies new writes exactly once.
      proposeAll(c, leader, 100, 105);
      c.await("the lagger applied the later writes", () -> c.machines.get(lagger).get(1L).count >= 105, 30_000);
      c.advanceTicks(20);
      assertEquals(105, leaderSm.count);
      assertEquals(105, c.machines.get(lagger).get(1L).count, "every write applied once on the lagger");
      assertEquals(leaderSm.hash, c.machines.get(lagger).get(1L).hash);
      assertEquals(null, c.node(lagger).failure());
    }
  }

  private static void proposeAll(LocalCluster c, long leader, int from, int to) {
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      fs.add(c.node(leader).propose(1, new byte[] {(byte) i}));
      c.settle();
    }
    c.await("writes applied by the majority", () -> fs.stream().allMatch(CompletableFuture::isDone), 30_000);
    for (CompletableFuture<Object> f : fs) {
      f.join();
    }
  }

  /**
   * Removing a group while a write of it is in the log writer, and creating the same id at once,
   * leaves the node healthy: the deletion of the old log waits for that write, and the creation
   * waits for the deletion (before, the write hit a deleted log, "append would leave a gap", and
   * failed the node; or the deletion removed the new group's log).
   */
  @Test
  void removeWithWriteInFlightThenRecreate() {
    HeldLogStore store = new HeldLogStore();
    LoopbackTransport transport = new LoopbackTransport();
    MultiRaftNode n = new MultiRaftNode(NodeConfig.builder(1).workers(1).appliers(1).tickIntervalNs(10_000_000L).threaded(true).seed(1).build(),
        store, transport, g -> new CountingStateMachine(), Clock.SYSTEM);
    try {
      for (long g = 1; g <= 2; g++) {
        n.createGroup(g, Set.of(1L)).orTimeout(30, TimeUnit.SECONDS).join();
        long group = g;
        LocalCluster.awaitCondition("group " + g + " elects its leader", () -> {
          try {
            return n.status(group).join().role() == Role.LEADER;
          } catch (CompletionException e) {
            return false;
          }
        });
        n.propose(g, new byte[] {1}).orTimeout(30, TimeUnit.SECONDS).join();
      }
      store.hold = new CountDownLatch(1);
      CompletableFuture<Object> inFlight = n.propose(1, new byte[] {2});
      LocalCluster.awaitCondition("a write of group 1 is in the log store", () -> store.held.getCount() == 0);
      CompletableFuture<Void> removed = n.removeGroup(1);
      CompletableFuture<Void> recreated = n.createGroup(1, Set.of(1L));
      // Group 1's tasks ran on the only applier before this read of group 2 does.
      n.read(2, sm -> null).orTimeout(30, TimeUnit.SECONDS).join();
      store.hold.countDown();
      removed.orTimeout(30, TimeUnit.SECONDS).join();
      recreated.orTimeout(30, TimeUnit.SECONDS).join();
      assertTrue(inFlight.isCompletedExceptionally(), "the removed group's pending write failed");
      LocalCluster.awaitCondition("the new group 1 elects its leader", () -> {
        try {
          return n.status(1).join().role() == Role.LEADER;
        } catch (CompletionException e) {
          return false;
        }
      });
      assertEquals(1L, n.propose(1, new byte[] {3}).orTimeout(30, TimeUnit.SECONDS).join(), "the new group starts from an empty state machine");
      assertEquals(2L, n.propose(2, new byte[] {3}).orTimeout(30, TimeUnit.SECONDS).join());
      assertEquals(null, n.failure(), "the node is healthy");
    } finally {
      store.hold.countDown();
      n.close();
    }
  }

  /** A {@link MemoryLogStore} whose next write waits, once {@link #hold} is set, until the latch opens. */
  private static final class HeldLogStore implements LogStore {
    final MemoryLogStore store = new MemoryLogStore();
    volatile CountDownLatch hold = new CountDownLatch(0);
    final CountDownLatch held = new CountDownLatch(1);

    @Override
    public java.util.Set<Long> groups() {
      return store.groups();
    }

    @Override
    public LogStorage storage(long groupId) {
      return store.storage(groupId);
    }

    @Override
    public LogBatch newBatch() {
      return store.newBatch();
    }

    @Override
    public void write(List<LogBatch> batches, boolean sync) {
      CountDownLatch h = hold;
      if (h.getCount() > 0) {
        held.countDown();
        try {
          h.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      store.write(batches, sync);
    }

    @Override
    public void compact(long groupId, long index) {
      store.compact(groupId, index);
    }

    @Override
    public void removeGroup(long groupId) {
      store.removeGroup(groupId);
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
