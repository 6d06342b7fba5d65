package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.kv.KvCommand;
import io.multiraft.rangestore.kv.RangeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge whose coordinator died after freezing the right range (or gave up with the outcome
 * unknown) would leave that range refusing writes for ever. The node leading it finishes the merge
 * once the freeze has outlived any merge, or unfreezes it when the merge can no longer commit.
 */
class AbandonedMergeTest {
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

  /** Freezes the right range as a merge would, then "dies": nothing else happens. */
  private long splitAndAbandonAMerge(RangeClient client) {
    SplitResult split = SplitTest.split(client, L, "m");
    long right = split.right().rangeId();
    client.put(k("q"), k("right"));
    client.put(k("c"), k("left"));
    client.call(k("q"), s -> s.propose(right, new KvCommand.Freeze(L, split.right().generation())));
    return right;
  }

  /** Sweeps every node (only the one leading the frozen range acts) until {@code done} or a deadline. */
  private long sweepUntil(Set<AbandonedMerges> sweepers, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "the abandoned merge was not resolved");
      for (AbandonedMerges a : sweepers) {
        a.sweep();
      }
    }
    return sweepers.stream().mapToLong(AbandonedMerges::resolved).sum();
  }

  private Set<AbandonedMerges> sweepers(long abandonedAfterNs) {
    java.util.HashSet<AbandonedMerges> out = new java.util.HashSet<>();
    for (RangeStore s : cluster.nodes().values()) {
      out.add(new AbandonedMerges(s, new RangeMerger(cluster.nodes(), 30_000), NodeRuntime.SYSTEM, abandonedAfterNs));
    }
    return out;
  }

  @Test
  void aFreezeNobodyFinishesIsMergedOnceItOutlivedAnyMerge() {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b);
    RangeClient client = cluster.client(30_000);
    long right = splitAndAbandonAMerge(client);

    Set<AbandonedMerges> patient = sweepers(TimeUnit.HOURS.toNanos(1));
    for (AbandonedMerges a : patient) {
      a.sweep();
    }
    assertEquals(0, patient.stream().mapToLong(AbandonedMerges::resolved).sum(), "a freeze younger than any merge is left alone");
    assertTrue(cluster.node(1).localState(right).frozen());

    long resolved = sweepUntil(sweepers(0),
        () -> cluster.nodes().values().stream().allMatch(s -> s.localState(right) == null));
    assertEquals(1, resolved);
    for (RangeStore s : cluster.nodes().values()) {
      RangeState left = s.localState(L);
      assertTrue(left.descriptor().endKey() == null, "node " + s.nodeId() + ": the left range took over the right's span");
    }
    assertArrayEquals(k("right"), client.get(k("q")), "the frozen range's data is in the merged range");
    client.put(k("r"), k("writable"));
    assertArrayEquals(k("writable"), client.get(k("r")));
  }

  @Test
  void aFreezeWhoseMergeCanNoLongerCommitIsUndone() {
    cluster = InProcessCluster.start(dir, 4, 3, b -> b);
    RangeClient client = cluster.client(30_000);
    long right = splitAndAbandonAMerge(client);
    // The left range moved a replica since: the merge, proposed at its old generation, is refused for ever.
    new ReplicaMover(cluster.nodes(), 30_000).relocate(L, Set.of(2L, 3L, 4L));

    sweepUntil(sweepers(0), () -> {
      RangeState st = cluster.node(2).localState(right);
      return st != null && !st.frozen();
    });
    client.put(k("r"), k("writable"));
    assertArrayEquals(k("writable"), client.get(k("r")), "the right range takes writes again");
    assertFalse(cluster.node(2).localState(L).descriptor().endKey() == null, "and was not merged");
    assertNull(cluster.node(1).localState(L), "node 1 no longer holds the left range");
  }
}
