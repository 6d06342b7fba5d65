package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfChange;
import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.MessageType;
import io.multiraft.core.Role;
import io.multiraft.rangestore.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader that commits its own removal keeps its group (ReplicaLifecycle) until another replica
 * leads without it: the others may not know the removal committed, and still need its vote. A
 * restart must keep that rule: deleting the group at start-up, because its range state says
 * "removed", strands the range just as deleting it on applying the removal did (sim seed 153455).
 */
class RemovedLeaderRestartTest {
  static final long R = InProcessCluster.FIRST_RANGE;
  @TempDir Path dir;
  InProcessCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.transport().filter(null);
      cluster.close();
    }
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Voters {1, 2, 3, 4}, node 3 down, node 2 leads and commits its own removal with the
   * acknowledgements of nodes 1 and 4; from then on nothing node 2 sends arrives, so nodes 1 and 4
   * hold the removal entry but not its commit. Node 2 applies the removal and restarts. Nodes 1
   * and 4 need its vote to elect a leader under {1, 2, 3, 4}; that leader then commits the
   * removal under the old membership with node 2's acknowledgement.
   */
  @Test
  void aLeaderRestartedAfterCommittingItsOwnRemovalStillVotesUntilAnotherLeads() {
    cluster = InProcessCluster.start(dir, 4, 3, b -> b);
    ReplicaMover mover = new ReplicaMover(cluster.nodes(), 30_000);
    assertEquals(Set.of(1L, 2L, 3L, 4L), mover.addReplica(R, 4).voters());
    RangeClient client = cluster.client(10_000);
    client.put(k("a"), k("1"));
    mover.transferLeader(R, 2);
    cluster.stopNode(3);
    RangeStore two = cluster.node(2);
    Await.await("nodes 1 and 4 to hold node 2's whole log", () -> {
      long last = two.status(R).join().lastIndex();
      return cluster.node(1).status(R).join().lastIndex() == last && cluster.node(4).status(R).join().lastIndex() == last;
    });

    long removal = two.status(R).join().lastIndex() + 1;
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    AtomicBoolean silenced = new AtomicBoolean();
    cluster.transport().filter((from, to, m) -> {
      if (from == 2 && silenced.get()) {
        return true; // node 2 committed the removal: whatever it sends now (the commit, its vote) is lost
      }
      if (to == 2 && m.type == MessageType.APPEND_RESPONSE && !m.reject && m.index >= removal && acked.add(from)
          && acked.containsAll(Set.of(1L, 4L))) {
        silenced.set(true); // the acknowledgement that commits the removal (node 3 is down): it arrives, nothing after
      }
      return false;
    });
    ConfState after = two.changeReplicas(R, ConfChange.remove(2)).join();
    assertEquals(Set.of(1L, 3L, 4L), after.voters());
    Await.await("node 2 to apply its own removal", () -> two.localState(R) == null);
    assertTrue(two.isTombstoned(R));
    for (long n : new long[] {1, 4}) {
      GroupStatus st = cluster.node(n).status(R).join();
      assertTrue(st.lastIndex() >= removal && st.commit() < removal,
          "node " + n + " holds the removal but not its commit: last " + st.lastIndex() + ", commit " + st.commit());
    }

    cluster.stopNode(2);
    cluster.transport().filter(null);
    cluster.startNode(2);

    Await.await("node 1 or 4 to lead without node 2", () -> java.util.stream.Stream.of(1L, 4L).anyMatch(n -> {
      GroupStatus st = cluster.node(n).status(R).exceptionally(e -> null).join();
      return st != null && st.role() == Role.LEADER && st.conf().voters().equals(Set.of(1L, 3L, 4L));
    }));
    client.put(k("a"), k("2"));
    assertArrayEquals(k("2"), client.get(k("a")));

    // The group node 2 kept goes once another replica leads without it: the collector drops it.
    ReplicaCollector collector = new ReplicaCollector(cluster.nodes(), NodeRuntime.SYSTEM);
    Await.await("the collector to drop node 2's group", () -> {
      collector.sweep();
      return cluster.node(2).raft().groupCount() == 0;
    });
    assertNull(cluster.node(2).localState(R));
  }
}
