package io.multiraft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Message;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reconnects, reachability reports, keepalive, and the fault hooks. */
class LinkLivenessTest {

  private static boolean delivered(RecordingInbound in, long group) {
    return in.messages.stream().anyMatch(m -> m.groupId == group);
  }

  @Test
  void aStoppedPeerIsReportedUnreachableThenReachableWhenItReturns() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      InetSocketAddress address2 = c.get(2).localAddress();
      c.get(2).close();
      Await.until("node 2 reported unreachable", () -> c.inbound(1).unreachable.contains(2L), 10_000);
      assertEquals(List.of(2L), c.inbound(1).unreachable, "once per loss, not once per failed attempt");
      c.get(1).send(1, 2, List.of(Msgs.heartbeat(1, 1, 2, 1, 0, 0)));
      assertTrue(c.get(1).counters().messagesDropped.sum() >= 1, "messages to a lost peer are dropped, not queued");

      // node 2 comes back on the same address
      TransportConfig cfg = TransportConfig.builder(2, TransportCluster.CLUSTER, address2)
          .peer(1, c.get(1).localAddress()).reconnectBackoffMs(10, 200).build();
      try (NettyTransport again = new NettyTransport(cfg)) {
        RecordingInbound in2 = new RecordingInbound();
        again.register(2, in2);
        Await.until("node 2 reported reachable again", () -> c.inbound(1).reachable.stream().filter(n -> n == 2L).count() == 2,
            15_000);
        assertTrue(c.get(1).counters().reconnects.sum() >= 1);
        c.get(1).send(1, 2, List.of(Msgs.heartbeat(77, 1, 2, 1, 0, 0)));
        Await.until("messages flow again", () -> delivered(in2, 77), 10_000);
      }
    }
  }

  @Test
  void anIdleConnectionToAHealthyPeerStaysUp() {
    try (TransportCluster c = new TransportCluster(2, true, b -> b.keepaliveIntervalMs(50).deadPeerTimeoutMs(500))) {
      c.awaitConnected(10_000);
      long opened1 = c.get(1).counters().connectionsOpened.sum();
      long opened2 = c.get(2).counters().connectionsOpened.sum();
      long pings = c.get(1).counters().keepalivesSent.sum();
      // nothing but keepalives for three dead-peer timeouts
      Await.until("30 keepalive intervals passed", () -> c.get(1).counters().keepalivesSent.sum() - pings >= 30, 20_000);
      assertEquals(opened1, c.get(1).counters().connectionsOpened.sum(), "no reconnect");
      assertEquals(opened2, c.get(2).counters().connectionsOpened.sum(), "no reconnect");
      assertTrue(c.inbound(1).unreachable.isEmpty() && c.inbound(2).unreachable.isEmpty(), "nobody was reported down");
      c.get(1).send(1, 2, List.of(Msgs.heartbeat(5, 1, 2, 1, 0, 0)));
      Await.until("the idle connection still carries messages", () -> delivered(c.inbound(2), 5), 5_000);
    }
  }

  @Test
  void aPartitionIsReportedOnBothSidesAndHealingReconnects() {
    try (TransportCluster c = TransportCluster.of(3)) {
      c.awaitConnected(10_000);
      c.faults.partition(1, 2);
      Await.until("both sides report the cut",
          () -> c.inbound(1).unreachable.contains(2L) && c.inbound(2).unreachable.contains(1L), 10_000);
      c.get(1).send(1, 3, List.of(Msgs.heartbeat(3, 1, 3, 1, 0, 0)));
      Await.until("node 3 is not cut off", () -> delivered(c.inbound(3), 3), 5_000);
      assertTrue(c.inbound(3).unreachable.isEmpty());

      c.faults.heal(1, 2);
      Await.until("reachable reported after healing, on both sides",
          () -> c.inbound(1).reachable.stream().filter(n -> n == 2L).count() == 2
              && c.inbound(2).reachable.stream().filter(n -> n == 1L).count() == 2, 10_000);
      c.get(1).send(1, 2, List.of(Msgs.heartbeat(12, 1, 2, 1, 0, 0)));
      Await.until("messages flow after healing", () -> delivered(c.inbound(2), 12), 5_000);
    }
  }

  @Test
  void droppedMessagesNeverArriveAndDelayedOnesArriveLate() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      c.faults.drop(1, 2, 1.0);
      c.get(1).send(1, 2, List.of(Msgs.heartbeat(100, 1, 2, 1, 0, 0), Msgs.heartbeat(101, 1, 2, 1, 0, 0)));
      assertEquals(2, c.get(1).counters().messagesDropped.sum());
      c.faults.drop(1, 2, 0);
      c.get(1).send(1, 2, List.of(Msgs.heartbeat(102, 1, 2, 1, 0, 0)));
      Await.until("the message after the rule arrived", () -> delivered(c.inbound(2), 102), 5_000);
      assertTrue(!delivered(c.inbound(2), 100) && !delivered(c.inbound(2), 101), "the dropped ones never did");

      c.faults.delay(1, 2, 300);
      long start = System.nanoTime();
      c.get(1).send(1, 2, List.of(Msgs.heartbeat(103, 1, 2, 1, 0, 0)));
      Await.until("the delayed message arrived", () -> delivered(c.inbound(2), 103), 5_000);
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "not before its delay");
    }
  }

  @Test
  void faultsAreOffByDefault() {
    TransportConfig cfg = TransportConfig.builder(1, "c", new InetSocketAddress("127.0.0.1", 0)).build();
    assertSame(FaultInjector.NONE, cfg.faults());
    assertThrows(IllegalStateException.class, () -> FaultInjector.NONE.partition(1, 2));
  }

  @Test
  void aMessageTooLargeForAnyFrameIsDroppedAndTheRestStillFlow() {
    try (TransportCluster c = new TransportCluster(2, true, b -> b.maxFrameBytes(64 << 10).maxBatchBytes(16 << 10)
        .snapshotChunkBytes(16 << 10))) {
      c.awaitConnected(10_000);
      Message huge = Msgs.append(1, 1, 2, 1, 1, 1, 100 << 10);
      c.get(1).send(1, 2, List.of(huge, Msgs.append(2, 1, 2, 1, 1, 40, 1000), Msgs.heartbeat(3, 1, 2, 1, 0, 0)));
      Await.until("the others arrived", () -> delivered(c.inbound(2), 3) && delivered(c.inbound(2), 2), 5_000);
      assertEquals(1, c.get(1).counters().messagesDropped.sum());
      assertTrue(!delivered(c.inbound(2), 1));
      // the 40 KB append fills a frame past the 16 KB batch bound on its own; the heartbeat starts the next
      assertEquals(2, c.get(1).counters().framesSent.sum());
    }
  }
}
