package io.multiraft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.node.MultiRaftNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node runtime over the real transport on loopback. */
class MultiRaftOverNettyTest {

  @Test
  void thousandGroupsOnThreeNodesElectAndReplicate() {
    int groups = 1_000;
    try (NettyCluster c = new NettyCluster(3, 20_000_000L, b -> b)) {
      c.net.awaitConnected(10_000);
      c.createGroups(groups);
      Await.until("every group has a leader all nodes agree on", () -> c.allLed(groups), 90_000);

      Map<Long, Long> leaders = c.leaders(1, groups);
      List<CompletableFuture<Object>> fs = new ArrayList<>();
      for (long g = 1; g <= groups; g++) {
        fs.add(c.node(leaders.get(g)).propose(g, ("cmd-" + g).getBytes(StandardCharsets.UTF_8)));
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();
      Await.until("every replica applied its group's proposal", () -> c.allApplied(groups, 1), 60_000);
      for (long g = 1; g <= groups; g++) {
        long hash = c.machines.get(1L).get(g).hash;
        assertEquals(hash, c.machines.get(2L).get(g).hash, "group " + g);
        assertEquals(hash, c.machines.get(3L).get(g).hash, "group " + g);
      }

      for (long id = 1; id <= 3; id++) {
        TransportCounters tc = c.transport(id).counters();
        double perFrame = (double) tc.messagesSent.sum() / tc.framesSent.sum();
        assertTrue(perFrame > 1.0, "node " + id + ": a frame carries messages of many groups: " + tc);
        assertTrue(tc.protocolErrors.sum() == 0, "node " + id + ": " + c.transport(id).recentProtocolErrors());
        System.out.printf("node %d: %.1f messages per frame; %s%n", id, perFrame, tc);
      }
      // the same holds for the runtime's own view: one send per peer per duty cycle, many messages each
      MultiRaftNode n1 = c.node(1);
      assertTrue(n1.counters().messagesSent() > n1.counters().framesSent.sum());
    }
  }

  /** Lessons 8, 12: a replica behind the leader's compaction point is rebuilt from a snapshot streamed to it. */
  @Test
  void laggingReplicaCatchesUpByASnapshotOverTheSnapshotChannel() {
    try (NettyCluster c = new NettyCluster(3, 10_000_000L, b -> b.snapshotEveryEntries(20).compactionMarginEntries(5))) {
      c.net.awaitConnected(10_000);
      c.createGroups(1);
      Await.until("group 1 led", () -> c.allLed(1), 30_000);
      long leader = c.leaders(1, 1).get(1L);
      long lagger = leader == 3 ? 2 : 3;
      c.net.faults.isolate(lagger, c.nodes.keySet());
      Await.until("the others see the lagger as unreachable",
          () -> !c.transport(leader).isConnected(lagger) && !c.transport(lagger).isConnected(leader), 10_000);

      List<CompletableFuture<Object>> fs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        fs.add(c.node(leader).propose(1, new byte[] {(byte) i}));
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
      Await.until("the leader compacted", () -> c.node(leader).counters().compactions.sum() > 0, 30_000);

      c.net.faults.clear();
      HashingStateMachine lagging = c.machines.get(lagger).get(1L);
      Await.until(() -> "lagging replica caught up: " + lagging.count, () -> lagging.count == 100, 60_000);
      assertTrue(lagging.restores > 0, "it was rebuilt from a snapshot");
      assertEquals(c.machines.get(leader).get(1L).hash, lagging.hash);
      // the receiver hands the snapshot over before it acknowledges: the sender hears of success just after
      Await.until(() -> "the leader's transport saw the send succeed: " + c.transport(leader).counters(),
          () -> c.transport(leader).counters().snapshotSendsSucceeded.sum() > 0, 10_000);
      assertTrue(c.transport(lagger).counters().snapshotsReceived.sum() > 0);
      assertTrue(java.nio.file.Files.exists(c.transport(lagger).snapshotDir().resolve("group-1.snapshot")),
          "the received snapshot was stored under its final name");
    }
  }
}
