package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfChange;
import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.rangestore.Await;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the replica collector repairs on a member of a range: a replica without its Raft group, or none at all. */
class ReplicaCollectorRepairTest {
  static final long R = InProcessCluster.FIRST_RANGE;
  @TempDir Path dir;
  InProcessCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Node 3, a voter, holds the range's state but no Raft group (as after a late removal deleted the
   * group of a replica added back, sim seed 191221, or a split whose group creation kept failing):
   * it never votes or applies again, and the collector took the state for a replica. It must be
   * dropped and an empty replica prepared, which the leader's snapshot fills.
   */
  @Test
  void aMemberWithItsStateButNoGroupGetsAFreshReplica() {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b);
    ReplicaMover mover = new ReplicaMover(cluster.nodes(), 30_000);
    RangeClient client = cluster.client(10_000);
    client.put(k("a"), k("1"));
    mover.transferLeader(R, 1);
    RangeStore three = cluster.node(3);
    three.raft().removeGroup(R).join();
    assertNotNull(three.localState(R), "the state stays");
    client.put(k("b"), k("2"));

    ReplicaCollector collector = new ReplicaCollector(cluster.nodes(), NodeRuntime.SYSTEM);
    Await.await("node 3 to host a replica of the range again, caught up", () -> {
      collector.sweep();
      GroupStatus st = three.status(R).exceptionally(e -> null).join();
      return st != null && three.localState(R) != null && st.applied() >= cluster.node(1).status(R).join().commit();
    });
    assertEquals(1, collector.created());
    assertEquals(0, collector.dropped());
    mover.transferLeader(R, 3);
    assertArrayEquals(k("2"), three.get(k("b")).join());
  }

  /**
   * Node 4 is a learner of the range with no replica at all, which the collector creates. A split's
   * late creation of the range's group (with the split's membership, {1, 2, 3}, and its log from
   * the split on) lands just before the collector's prepare, which then finds a group there: kept,
   * it applies the leader's entries with no state under them and never holds the range. The
   * prepared replica must be empty, or be dropped and prepared again (as ReplicaMover does).
   */
  @Test
  void aSplitGroupThatLandsBeforeTheCollectorsPrepareIsDroppedAgain() {
    cluster = InProcessCluster.start(dir, 4, 3, b -> b);
    ReplicaMover mover = new ReplicaMover(cluster.nodes(), 30_000);
    RangeClient client = cluster.client(10_000);
    client.put(k("a"), k("1"));
    mover.transferLeader(R, 1);
    assertTrue(cluster.node(1).changeReplicas(R, ConfChange.addLearner(4)).join().learners().contains(4L));
    RangeStore four = cluster.node(4);
    assertNull(four.localState(R));

    List<ReplicaSource> sources = new ArrayList<>();
    for (long n = 1; n <= 3; n++) {
      sources.add(ReplicaSource.of(cluster.node(n), NodeRuntime.SYSTEM));
    }
    LateSplitGroup late = new LateSplitGroup(ReplicaSource.of(four, NodeRuntime.SYSTEM), four);
    sources.add(late);
    ReplicaCollector collector = new ReplicaCollector(sources, n -> true);
    Await.await("node 4 to hold the range, caught up", () -> {
      collector.sweep();
      RangeState s = four.localState(R);
      GroupStatus st = four.status(R).exceptionally(e -> null).join();
      return s != null && st != null && st.applied() >= cluster.node(1).status(R).join().commit();
    });
    assertTrue(late.prepares.get() >= 2, "the split's group was dropped and an empty replica prepared");
    assertEquals(cluster.node(1).localState(R).descriptor(), four.localState(R).descriptor());
  }

  /** Node 4, where the split's creation of range R's group lands right before the first prepare. */
  private static final class LateSplitGroup implements ReplicaSource {
    private final ReplicaSource d;
    private final RangeStore s;
    final AtomicInteger prepares = new AtomicInteger();

    LateSplitGroup(ReplicaSource d, RangeStore s) {
      this.d = d;
      this.s = s;
    }

    @Override
    public void prepareReplica(long rangeId) {
      if (rangeId == R && prepares.incrementAndGet() == 1) {
        s.raft().createGroup(rangeId, new SnapshotMeta(MultiRaftNode.INITIAL_INDEX, MultiRaftNode.INITIAL_TERM,
            ConfState.of(Set.of(1L, 2L, 3L), Set.of()))).join();
      }
      d.prepareReplica(rangeId);
    }

    @Override public long nodeId() { return d.nodeId(); }
    @Override public void refresh() { d.refresh(); }
    @Override public List<Long> localRangeIds() { return d.localRangeIds(); }
    @Override public List<RangeDescriptor> knownRanges() { return d.knownRanges(); }
    @Override public GroupStatus status(long id) { return d.status(id); }
    @Override public GroupStatus statusNow(long id) { return d.statusNow(id); }
    @Override public boolean groupMissing(long id) { return d.groupMissing(id); }
    @Override public RangeState localState(long id) { return d.localState(id); }
    @Override public boolean isTombstoned(long id) { return d.isTombstoned(id); }
    @Override public void dropReplica(long id) { d.dropReplica(id); }
  }
}
