package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.kv.RangeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica cut off while its range splits or merges, then caught up by a snapshot taken after:
 * it must end with the same ranges as the others (the split is not missing on it, RheaKV #653; the
 * merged-away range does not linger on it).
 */
class LaggingReplicaTest {
  static final long L = InProcessCluster.FIRST_RANGE;
  @TempDir Path dir;
  InProcessCluster cluster;

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static void await(String what, BooleanSupplier cond) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!cond.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(5_000_000);
    }
  }

  /** Enough writes to the left range that its log is compacted past what node 3 has. */
  static void writeMany(RangeClient c, String prefix) {
    for (int i = 0; i < 120; i++) {
      c.put(k(prefix + i), k("v" + i));
    }
  }

  @Test
  void aReplicaThatMissedASplitCreatesTheRightRangeFromTheSnapshot() {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b.snapshotEveryEntries(20).compactionMarginEntries(5));
    RangeClient client = cluster.client(30_000);
    client.put(k("q0"), k("before"));
    new ReplicaMover(cluster.nodes(), 30_000).transferLeader(L, 1);
    cluster.transport().isolate(3);
    SplitResult split = SplitTest.split(client, L, "m");
    long right = split.right().rangeId();
    writeMany(client, "a");
    client.put(k("q1"), k("during"));
    assertNull(cluster.node(3).localState(right), "node 3 is cut off and has not seen the split");
    cluster.transport().heal(3);
    await("node 3 to learn the split from a snapshot of the left range", () -> {
      RangeState s = cluster.node(3).localState(L);
      return s != null && s.descriptor().generation() == split.left().generation();
    });
    await("node 3 to hold the right range", () -> {
      RangeState s = cluster.node(3).localState(right);
      return s != null && s.appliedIndex() >= cluster.node(1).localState(right).appliedIndex();
    });
    new ReplicaMover(cluster.nodes(), 30_000).transferLeader(right, 3);
    assertArrayEquals(k("during"), cluster.node(3).get(k("q1")).join());
    assertArrayEquals(k("before"), cluster.node(3).get(k("q0")).join());
    assertEquals(2, cluster.node(3).raft().groupCount());
  }

  @Test
  void aReplicaThatMissedAMergeDropsTheMergedAwayRange() {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b.snapshotEveryEntries(20).compactionMarginEntries(5));
    RangeClient client = cluster.client(30_000);
    SplitResult split = SplitTest.split(client, L, "m");
    long right = split.right().rangeId();
    client.put(k("q0"), k("right"));
    RangeMerger merger = new RangeMerger(cluster.nodes(), 30_000);
    new ReplicaMover(cluster.nodes(), 30_000).transferLeader(L, 1);
    // Node 3 applies the freeze (the merger waits for it), then is cut off before the merge commits.
    merger.beforeCommit(() -> cluster.transport().isolate(3));
    merger.merge(L);
    writeMany(client, "a");
    assertEquals(2, cluster.node(3).raft().groupCount());
    cluster.transport().heal(3);
    await("node 3 to drop the merged-away range", () -> cluster.node(3).raft().groupCount() == 1);
    assertNull(cluster.node(3).localState(right));
    assertNull(cluster.node(3).localState(L).descriptor().endKey());
    new ReplicaMover(cluster.nodes(), 30_000).transferLeader(L, 3);
    assertArrayEquals(k("right"), cluster.node(3).get(k("q0")).join());
  }
}
