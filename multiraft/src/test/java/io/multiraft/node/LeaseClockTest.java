package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ReadOnlyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The leader lease is measured in ticks, and a node that falls behind ticks once for all the
 * intervals it missed. A leader paused for longer than an election timeout must not answer a read
 * on its lease when it resumes: its followers elected another leader meanwhile, which committed a
 * write the paused one has not seen (lease simulation seed 20558).
 */
class LeaseClockTest {
  private static final long TICK_NS = 50_000_000L;

  @Test
  void aLeaderPausedPastItsLeaseDoesNotAnswerAReadOnIt() {
    try (LocalCluster c = new LocalCluster(3, false, TICK_NS,
        b -> b.raftTweaks(r -> r.readOnlyOption(ReadOnlyOption.LEASE_BASED)))) {
      Set<Long> voters = new HashSet<>(c.nodes.keySet());
      for (MultiRaftNode n : c.nodes.values()) {
        n.createGroup(1, voters);
      }
      c.await("a leader", () -> c.agreedLeader(1) != 0, 10_000);
      long old = c.agreedLeader(1);
      MultiRaftNode paused = c.node(old);
      CompletableFuture<Object> w = paused.propose(1, new byte[] {1});
      c.await("the first write applied", w::isDone, 10_000);
      // Reads until one is answered on the lease: the lease holds.
      long leaseReads = paused.counters().leaseReads.sum();
      for (int i = 0; i < 20 && paused.counters().leaseReads.sum() == leaseReads; i++) {
        CompletableFuture<Long> r = paused.read(1, sm -> ((CountingStateMachine) sm).count);
        c.await("a read", r::isDone, 10_000);
      }
      assertTrue(paused.counters().leaseReads.sum() > leaseReads, "the leader answers reads on its lease");

      // The leader's node stops (no duty cycle runs) and hears nothing; the others elect and write.
      c.nodes.remove(old);
      c.transport.isolate(old);
      c.await("another leader", () -> c.nodes.keySet().stream().anyMatch(id -> c.status(id, 1).role() == io.multiraft.core.Role.LEADER), 10_000);
      long fresh = c.nodes.keySet().stream().filter(id -> c.status(id, 1).role() == io.multiraft.core.Role.LEADER).findFirst().orElseThrow();
      CompletableFuture<Object> w2 = c.node(fresh).propose(1, new byte[] {2});
      c.await("the new leader's write applied", w2::isDone, 10_000);
      assertFalse(w2.isCompletedExceptionally(), "the write committed: " + w2);

      // It resumes with a read waiting: one duty cycle at the current time, still cut off.
      long before = paused.counters().leaseReads.sum();
      CompletableFuture<Long> stale = paused.read(1, sm -> ((CountingStateMachine) sm).count);
      for (int i = 0; i < 10; i++) {
        paused.pump(c.virtualNow);
      }
      assertEquals(before, paused.counters().leaseReads.sum(), "no read answered on a lease that ran out while paused");
      assertFalse(stale.isDone() && !stale.isCompletedExceptionally() && stale.join() == 1L,
          "the paused leader returned the value from before the new leader's write");
      assertNotEquals(old, fresh);
    }
  }
}
