package io.multiraft.rangestore.api;

import static io.multiraft.rangestore.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease reads through the range store: used when the quorum is fresh, never stale after a partition. */
class LeaseReadStoreTest {
  private static final long RANGE = InProcessCluster.FIRST_RANGE;
  @TempDir Path dir;

  private static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }


  private static GroupStatus status(RangeStore s) {
    try {
      return s.status(RANGE).join();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static RangeStore leader(InProcessCluster c, long notNode, long aboveTerm) {
    for (RangeStore s : c.nodes().values()) {
      GroupStatus st = status(s);
      if (s.nodeId() != notNode && st != null && st.role() == Role.LEADER && st.term() > aboveTerm) {
        return s;
      }
    }
    return null;
  }

  // Breaks with a naive lease (a leader answers every read at once while it believes it leads):
  // the followers of a cut-off leader elect a new one at once (they are told it is unreachable), the
  // new one commits a write, and the old one, still leader until CheckQuorum deposes it an election
  // timeout later, would answer the old value.
  @Test
  void aCutOffLeaderNeverAnswersAStaleReadAfterANewLeaderCommitted() {
    try (InProcessCluster c = InProcessCluster.start(dir, 3, 3, b -> b.leaseReads(true).tickIntervalMs(100))) {
      RangeClient client = c.client(10_000);
      client.put(k("k"), k("v1"));
      await("a leader is known", () -> leader(c, 0, 0) != null);
      RangeStore old = leader(c, 0, 0);
      long oldTerm = status(old).term();
      await("the leader answers on its lease", () -> {
        assertArrayEquals(k("v1"), old.get(k("k")).join());
        return old.raft().counters().leaseReads.sum() > 0;
      });

      c.transport().isolate(old.nodeId());
      await("the others elect a new leader", () -> leader(c, old.nodeId(), oldTerm) != null);
      RangeStore fresh = leader(c, old.nodeId(), oldTerm);
      fresh.put(k("k"), k("v2")).join();

      CompletableFuture<byte[]> read = old.get(k("k"));
      byte[] seen = read.handle((v, e) -> e == null ? v : null).join();
      assertFalse(seen != null && Arrays.equals(k("v1"), seen), "the cut-off leader answered the overwritten value");
      assertArrayEquals(k("v2"), fresh.get(k("k")).join());
    }
  }

  // Breaks if the option does not reach the groups, or if reads on a fresh lease still cost a round.
  @Test
  void readsOnALeaderWithAFreshQuorumUseTheLease() {
    try (InProcessCluster c = InProcessCluster.start(dir, 3, 3, b -> b.leaseReads(true))) {
      RangeClient client = c.client(10_000);
      client.put(k("a"), k("1"));
      await("a leader is known", () -> leader(c, 0, 0) != null);
      RangeStore l = leader(c, 0, 0);
      for (int i = 0; i < 20; i++) {
        assertArrayEquals(k("1"), l.get(k("a")).join());
      }
      assertTrue(l.raft().counters().leaseReads.sum() > 0, "some reads were answered on the lease");
    }
  }

  // Breaks if lease reads become the default.
  @Test
  void leaseReadsAreOffByDefault() {
    try (InProcessCluster c = InProcessCluster.start(dir, 3, 3, b -> b)) {
      assertFalse(c.node(1).config().leaseReads());
      RangeClient client = c.client(10_000);
      client.put(k("a"), k("1"));
      assertArrayEquals(k("1"), client.get(k("a")));
      long lease = 0;
      for (RangeStore s : c.nodes().values()) {
        lease += s.raft().counters().leaseReads.sum();
      }
      assertEquals(0, lease);
    }
  }
}
