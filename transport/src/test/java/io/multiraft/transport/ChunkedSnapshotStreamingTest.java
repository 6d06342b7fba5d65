package io.multiraft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotData;
import io.multiraft.core.SnapshotMeta;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A chunked snapshot (never held whole) streams into the receiver's sink with per-chunk checksums,
 * with the heap of the transfer bounded by a few chunks; the send's reference is given back
 * whatever the outcome; a repeated send joins the transfer in flight; removing the group cancels it.
 */
class ChunkedSnapshotStreamingTest {
  private static final long GROUP = 9;

  static Message snapshot(long group, SnapshotData payload) {
    SnapshotMeta meta = new SnapshotMeta(700, 3, ConfState.ofVoters(1, 2, 3));
    return new Message(group, MessageType.SNAPSHOT, 1, 2, 4, 0, 0, null, 0, false, 0, new Snapshot(meta, payload), 0);
  }

  @Test
  void a64MiBChunkedSnapshotStreamsIntoTheSinkWithBoundedHeap() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      CountingSink sink = new CountingSink();
      c.inbound(2).sink = sink;
      GeneratedSnapshot payload = new GeneratedSnapshot(64, 5);
      int expectedCrc = payload.crc();
      long before = snapshotThreadAllocations();
      long start = System.nanoTime();
      c.get(1).send(1, 2, List.of(snapshot(GROUP, payload)));
      Await.until("outcome", () -> !c.inbound(1).snapshotStatuses.isEmpty(), 60_000);
      long ns = System.nanoTime() - start;
      long alloc = snapshotThreadAllocations() - before;
      System.out.printf("64 MiB chunked snapshot over loopback: %.0f ms, %.1f MB/s, snapshot threads allocated %d bytes%n",
          ns / 1e6, payload.bytes() / 1e6 / (ns / 1e9), alloc);
      assertEquals(List.of(new RecordingInbound.Status(GROUP, 2, true)), c.inbound(1).snapshotStatuses);
      assertEquals(payload.bytes(), sink.bytes.get());
      assertEquals(expectedCrc, sink.lastCrc);
      assertEquals(1, c.inbound(2).snapshotMessages().size(), "handed to the node once staged");
      Await.until("the send's reference given back", () -> payload.frees.get() == 1, 10_000);
      // Chunks go into pooled direct buffers: the heap sees a few small objects per chunk, not the data.
      assertTrue(alloc < 8L << 20, "snapshot threads allocated " + alloc + " bytes for a 64 MiB transfer");
    }
  }

  @Test
  void aRepeatedSendJoinsTheTransferInFlight() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      CountingSink sink = new CountingSink();
      sink.gate = new CountDownLatch(1);
      c.inbound(2).sink = sink;
      GeneratedSnapshot first = new GeneratedSnapshot(16, 1);
      GeneratedSnapshot second = new GeneratedSnapshot(16, 1);
      c.get(1).send(1, 2, List.of(snapshot(GROUP, first)));
      Await.until("transfer started", () -> sink.begun.get() == 1, 10_000);
      c.get(1).send(1, 2, List.of(snapshot(GROUP, second)));
      assertEquals(1, c.get(1).counters().snapshotSendsJoined.sum());
      assertEquals(1, second.frees.get(), "the joined send's reference is given back at once");
      sink.gate.countDown();
      Await.until("both sends answered", () -> c.inbound(1).snapshotStatuses.size() == 2, 30_000);
      assertEquals(List.of(new RecordingInbound.Status(GROUP, 2, true), new RecordingInbound.Status(GROUP, 2, true)),
          c.inbound(1).snapshotStatuses);
      assertEquals(1, sink.completed.get(), "one transfer");
      assertEquals(1, c.get(1).counters().snapshotSends.sum());
      Await.until("reference given back", () -> first.frees.get() == 1, 10_000);
    }
  }

  @Test
  void removingTheGroupCancelsItsTransfer() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      CountingSink sink = new CountingSink();
      sink.gate = new CountDownLatch(1);
      c.inbound(2).sink = sink;
      GeneratedSnapshot payload = new GeneratedSnapshot(32, 2);
      c.get(1).send(1, 2, List.of(snapshot(GROUP, payload)));
      Await.until("transfer started", () -> sink.begun.get() == 1, 10_000);
      c.get(1).groupRemoved(GROUP);
      Await.until("failure reported", () -> !c.inbound(1).snapshotStatuses.isEmpty(), 10_000);
      assertEquals(List.of(new RecordingInbound.Status(GROUP, 2, false)), c.inbound(1).snapshotStatuses);
      Await.until("the reference given back", () -> payload.frees.get() == 1, 10_000);
      assertEquals(0, c.get(1).snapshotTransfersInFlight());
      sink.gate.countDown();
      Await.until("the receiver dropped what it staged", () -> sink.aborted.get() == 1, 10_000);
      assertEquals(0, sink.completed.get());
      assertTrue(c.inbound(2).snapshotMessages().isEmpty());
    }
  }

  @Test
  void aCorruptedChunkIsRefusedBeforeItIsStored() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      CountingSink sink = new CountingSink();
      c.inbound(2).sink = sink;
      GeneratedSnapshot payload = new GeneratedSnapshot(4, 3);
      c.faults.corruptNextSnapshotChunk(1, 2);
      c.get(1).send(1, 2, List.of(snapshot(GROUP, payload)));
      Await.until("failure reported", () -> !c.inbound(1).snapshotStatuses.isEmpty(), 10_000);
      assertEquals(List.of(new RecordingInbound.Status(GROUP, 2, false)), c.inbound(1).snapshotStatuses);
      assertEquals(1, c.get(2).counters().snapshotChunksCorrupt.sum());
      assertEquals(0, sink.bytes.get(), "the corrupted chunk was not stored");
      Await.until("staged part dropped", () -> sink.aborted.get() == 1, 10_000);
      assertTrue(c.inbound(2).snapshotMessages().isEmpty(), "nothing handed to the node");
      assertTrue(c.get(2).recentProtocolErrors().stream().anyMatch(e -> e.contains("CRC32C")), c.get(2).recentProtocolErrors().toString());

      c.get(1).send(1, 2, List.of(snapshot(GROUP, new GeneratedSnapshot(4, 3)))); // Raft retries
      Await.until("retry answered", () -> c.inbound(1).snapshotStatuses.size() == 2, 10_000);
      assertEquals(new RecordingInbound.Status(GROUP, 2, true), c.inbound(1).snapshotStatuses.get(1));
      assertEquals(4L << 20, sink.bytes.get());
    }
  }

  @Test
  void payloadChunksLargerThanAWireChunkAreCutToSize() {
    try (TransportCluster c = new TransportCluster(2, true, b -> b.snapshotChunkBytes(100_000))) {
      c.awaitConnected(10_000);
      CountingSink sink = new CountingSink();
      c.inbound(2).sink = sink;
      GeneratedSnapshot payload = new GeneratedSnapshot(4, 7);
      c.get(1).send(1, 2, List.of(snapshot(GROUP, payload)));
      Await.until("outcome", () -> !c.inbound(1).snapshotStatuses.isEmpty(), 30_000);
      assertEquals(List.of(new RecordingInbound.Status(GROUP, 2, true)), c.inbound(1).snapshotStatuses);
      assertEquals(payload.bytes(), sink.bytes.get());
      assertEquals(payload.crc(), sink.lastCrc);
    }
  }

  /** Heap bytes allocated so far by both transports' snapshot threads (read, network, disk). */
  static long snapshotThreadAllocations() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("raft-snap-")) {
        sum += Math.max(0, mx.getThreadAllocatedBytes(t.getId()));
      }
    }
    return sum;
  }
}
