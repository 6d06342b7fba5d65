package io.multiraft.rangestore.api;

import static io.multiraft.rangestore.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.kv.RangeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replica moves bump the range's generation identically on every replica, and a restart keeps it. */
class GenerationAcrossReplicasTest {
  private static final long R = InProcessCluster.FIRST_RANGE;
  @TempDir Path dir;

  private static Set<Long> generations(InProcessCluster c, Set<Long> on) {
    Set<Long> out = new HashSet<>();
    for (long id : on) {
      RangeState st = c.node(id).localState(R);
      out.add(st == null ? -1 : st.descriptor().generation());
    }
    return out;
  }


  // Breaks if a replica move leaves the generation as it was, if replicas end on different
  // generations, or if restarting a replica (which replays its log) bumps it again.
  @Test
  void aReplicaMoveBumpsTheGenerationAlikeEverywhereAndARestartKeepsIt() {
    try (InProcessCluster c = InProcessCluster.start(dir, 4, 3, b -> b)) {
      c.client(10_000).put("a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8));
      long before = c.node(1).localState(R).descriptor().generation();
      new ReplicaMover(c.nodes(), 30_000).relocate(R, Set.of(2L, 3L, 4L));
      Set<Long> replicas = Set.of(2L, 3L, 4L);
      await("every replica applied the move", () -> generations(c, replicas).size() == 1
          && c.node(4).localState(R) != null && c.node(4).localState(R).descriptor().replicas().size() == 3
          && c.node(2).localState(R).descriptor().nodeIds().equals(replicas));
      long after = generations(c, replicas).iterator().next();
      assertTrue(after > before, "generation " + before + " -> " + after);

      c.stopNode(3);
      c.startNode(3);
      await("node 3 is back", () -> c.node(3).localState(R) != null);
      c.client(10_000).put("b".getBytes(StandardCharsets.UTF_8), "2".getBytes(StandardCharsets.UTF_8));
      await("node 3 caught up", () -> c.node(3).localState(R).appliedIndex() >= c.node(2).localState(R).appliedIndex());
      assertEquals(Set.of(after), generations(c, replicas), "a restart replays no bump");
    }
  }
}
