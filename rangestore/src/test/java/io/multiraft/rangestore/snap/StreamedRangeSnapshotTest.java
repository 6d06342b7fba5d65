package io.multiraft.rangestore.snap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A range snapshot streams end to end over Netty: a RocksDB view read in chunks on the sender,
 * SST files staged and ingested on the receiver, with memory bounded by the chunk size, not by the
 * range's size; a cut transfer is retried, a corrupted chunk refused.
 */
class StreamedRangeSnapshotTest {
  @TempDir Path dir;

  @Test
  void a64MiBRangeReachesANewReplicaWithTransferMemoryBoundedByChunks() throws IOException {
    try (NettyRangeCluster c = new NettyRangeCluster(dir, 2)) {
      SnapshotScenario.Result r = SnapshotScenario.run(c, 64, x -> { });
      System.out.printf("64 MiB replica added in %d ms, %d snapshot bytes sent (%.1f MB/s), snapshot threads allocated %d bytes%n",
          r.addReplicaMs(), r.snapshotBytesSent(), r.megabytesPerSecond(), r.snapshotThreadAllocBytes());
      assertTrue(r.snapshotBytesSent() >= 64L << 20, "the data went as a snapshot: " + r.snapshotBytesSent());
      // The whole range is 64 MiB; the threads that moved it allocated a small multiple of a chunk.
      assertTrue(r.snapshotThreadAllocBytes() < 8L << 20, "snapshot threads allocated " + r.snapshotThreadAllocBytes());
      assertEquals(1, r.receiver().snapshotsReceived.sum());
      assertStagingEmpty(2);
      awaitViewsReleased(c);
    }
  }

  @Test
  void aTransferCutInTheMiddleIsRetriedAndInstallsTheWholeRange() throws IOException {
    try (NettyRangeCluster c = new NettyRangeCluster(dir, 2)) {
      SnapshotScenario.Result r = SnapshotScenario.run(c, 8, x -> x.faults.cutNextSnapshotAfter(1, 2, 3L << 20));
      assertTrue(r.sender().snapshotSendsFailed.sum() >= 1, "the cut transfer failed: " + r.sender());
      assertTrue(r.sender().snapshotSendsSucceeded.sum() >= 1, "a retry succeeded: " + r.sender());
      assertStagingEmpty(2);
      awaitViewsReleased(c);
    }
  }

  @Test
  void aCorruptedChunkIsRefusedAndTheRetryInstallsTheRange() throws IOException {
    try (NettyRangeCluster c = new NettyRangeCluster(dir, 2)) {
      SnapshotScenario.Result r = SnapshotScenario.run(c, 4, x -> x.faults.corruptNextSnapshotChunk(1, 2));
      assertEquals(1, r.receiver().snapshotChunksCorrupt.sum(), "the corrupted chunk was caught");
      assertTrue(c.transport(2).recentProtocolErrors().stream().anyMatch(e -> e.contains("CRC32C")),
          "the refusal is logged with the connection: " + c.transport(2).recentProtocolErrors());
      assertTrue(r.sender().snapshotSendsFailed.sum() >= 1, "the refused transfer failed: " + r.sender());
      assertEquals(1, r.receiver().snapshotsReceived.sum(), "only the retry was handed to the node");
      assertStagingEmpty(2);
    }
  }

  private void assertStagingEmpty(long node) throws IOException {
    Path staging = dir.resolve("n" + node).resolve("db").resolve("ingest").resolve("staging");
    await("staging directory of node " + node + " emptied", () -> {
      try (Stream<Path> s = Files.list(staging)) {
        return s.findAny().isEmpty();
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** Every transfer gave its view back: at most the latest snapshot of each replica stays open. */
  private static void awaitViewsReleased(NettyRangeCluster c) {
    await("transfers finished", () -> c.transport(1).snapshotTransfersInFlight() == 0);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
