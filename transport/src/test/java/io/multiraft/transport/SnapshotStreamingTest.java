package io.multiraft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Snapshots stream on their own connections, beside the message stream (lessons 8, 9, 12, 23). */
class SnapshotStreamingTest {
  private static final long GROUP = 7;

  static Message snapshot(long group, byte[] data) {
    SnapshotMeta meta = new SnapshotMeta(500, 3, ConfState.ofVoters(1, 2, 3));
    return new Message(group, MessageType.SNAPSHOT, 1, 2, 4, 0, 0, null, 0, false, 0, new Snapshot(meta, data), 0);
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** Round trips of one small heartbeat frame from node 1 to node 2 and its response back. */
  private static final class Prober {
    private final TransportCluster c;
    private volatile long awaited;
    private volatile CompletableFuture<Long> answered;
    private long seq;

    Prober(TransportCluster c) {
      this.c = c;
      c.inbound(2).onReceive((from, batch) -> {
        List<Message> responses = new ArrayList<>();
        for (Message m : batch) {
          if (m.type == MessageType.HEARTBEAT) {
            responses.add(Msgs.heartbeatResponse(m.groupId, 2, 1, m.term, m.context));
          }
        }
        if (!responses.isEmpty()) {
          c.get(2).send(2, 1, responses);
        }
      });
      c.inbound(1).onReceive((from, batch) -> {
        for (Message m : batch) {
          if (m.type == MessageType.HEARTBEAT_RESPONSE && m.context == awaited) {
            answered.complete(System.nanoTime());
          }
        }
      });
    }

    long roundTripNs() {
      long id = ++seq;
      CompletableFuture<Long> f = new CompletableFuture<>();
      answered = f;
      awaited = id;
      long start = System.nanoTime();
      c.get(1).send(1, 2, List.of(Msgs.heartbeat(1, 1, 2, 1, 0, id)));
      return f.orTimeout(10, TimeUnit.SECONDS).join() - start;
    }
  }

  private static long percentile(List<Long> samples, double p) {
    long[] s = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    return s[Math.min(s.length - 1, (int) (p * s.length))];
  }

  @Test
  void aHundredMegabyteSnapshotStreamsWhileTheMessageStreamStaysFast() throws IOException {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      Prober probe = new Prober(c);
      for (int i = 0; i < 200; i++) {
        probe.roundTripNs(); // warm-up: JIT, pooled buffers
      }
      List<Long> idle = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        idle.add(probe.roundTripNs());
      }

      byte[] data = randomBytes(100 << 20, 1);
      c.get(1).send(1, 2, List.of(snapshot(GROUP, data)));
      List<Long> busy = new ArrayList<>();
      long bytesAtStart = c.get(2).counters().snapshotBytesReceived.sum();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (c.inbound(1).snapshotStatuses.isEmpty() && System.nanoTime() < deadline) {
        long rtt = probe.roundTripNs();
        long received = c.get(2).counters().snapshotBytesReceived.sum() - bytesAtStart;
        if (received > 0 && received < data.length) {
          busy.add(rtt); // only what was measured while snapshot bytes were flowing
        }
      }
      assertEquals(List.of(new RecordingInbound.Status(GROUP, 2, true)), c.inbound(1).snapshotStatuses,
          () -> "failures: " + c.get(1).recentSnapshotFailures());
      List<Message> got = c.inbound(2).snapshotMessages();
      assertEquals(1, got.size());
      assertArrayEquals(data, got.get(0).snapshot.data(), "the snapshot arrived byte for byte");
      assertEquals(new SnapshotMeta(500, 3, ConfState.ofVoters(1, 2, 3)), got.get(0).snapshot.meta());
      assertEquals(Files.size(c.get(2).snapshotDir().resolve("group-" + GROUP + ".snapshot")), data.length);

      long idleP50 = percentile(idle, 0.5);
      long idleP99 = percentile(idle, 0.99);
      long busyP50 = percentile(busy, 0.5);
      long busyP99 = percentile(busy, 0.99);
      System.out.printf("message stream round trip, idle: p50 %d us p99 %d us; during a 100 MB snapshot"
          + " (%d samples): p50 %d us p99 %d us%n", idleP50 / 1000, idleP99 / 1000, busy.size(), busyP50 / 1000,
          busyP99 / 1000);
      assertTrue(busy.size() >= 20, "enough round trips measured during the transfer: " + busy.size());
      // generous: a 2-core machine shares its CPUs between the transfer, the disk thread and the probe
      long bound50 = Math.max(20 * idleP50, TimeUnit.MILLISECONDS.toNanos(20));
      long bound99 = Math.max(20 * idleP99, TimeUnit.MILLISECONDS.toNanos(200));
      assertTrue(busyP50 <= bound50, "median round trip during the snapshot " + busyP50 / 1000 + " us > " + bound50 / 1000);
      assertTrue(busyP99 <= bound99, "p99 round trip during the snapshot " + busyP99 / 1000 + " us > " + bound99 / 1000);
    }
  }

  @Test
  void aCutConnectionFailsTheSendAndARetryInstallsTheSameBytes() throws IOException {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      byte[] data = randomBytes(24 << 20, 2);
      c.faults.cutNextSnapshotAfter(1, 2, 10 << 20);
      c.get(1).send(1, 2, List.of(snapshot(GROUP, data)));
      Await.until("failure reported", () -> !c.inbound(1).snapshotStatuses.isEmpty(), 30_000);
      assertEquals(List.of(new RecordingInbound.Status(GROUP, 2, false)), c.inbound(1).snapshotStatuses);
      Path dir = c.get(2).snapshotDir();
      Await.until("the receiver discarded the partial file", () -> partFiles(dir) == 0, 10_000);
      assertTrue(c.inbound(2).snapshotMessages().isEmpty(), "nothing half-received was handed to the node");
      assertFalse(Files.exists(dir.resolve("group-" + GROUP + ".snapshot")));
      assertTrue(c.get(1).isConnected(2), "the message stream was not affected");

      c.get(1).send(1, 2, List.of(snapshot(GROUP, data))); // Raft sends again after the failure
      Await.until("second outcome", () -> c.inbound(1).snapshotStatuses.size() == 2, 30_000);
      assertEquals(new RecordingInbound.Status(GROUP, 2, true), c.inbound(1).snapshotStatuses.get(1));
      List<Message> got = c.inbound(2).snapshotMessages();
      assertEquals(1, got.size());
      assertArrayEquals(data, got.get(0).snapshot.data());
      assertArrayEquals(data, Files.readAllBytes(dir.resolve("group-" + GROUP + ".snapshot")));
      assertEquals(1, c.get(1).counters().snapshotSendsFailed.sum());
      assertEquals(1, c.get(1).counters().snapshotSendsSucceeded.sum());
    }
  }

  @Test
  void sendsBeyondTheLimitFailAtOnce() {
    try (TransportCluster c = new TransportCluster(2, true, b -> b.maxConcurrentSnapshotSends(1))) {
      c.awaitConnected(10_000);
      byte[] data = randomBytes(8 << 20, 3);
      c.get(1).send(1, 2, List.of(snapshot(1, data), snapshot(2, data), Msgs.heartbeat(9, 1, 2, 1, 0, 0)));
      Await.until("both outcomes", () -> c.inbound(1).snapshotStatuses.size() == 2, 30_000);
      // the rejected one is reported first, without waiting for the other transfer
      assertEquals(new RecordingInbound.Status(2, 2, false), c.inbound(1).snapshotStatuses.get(0));
      assertEquals(new RecordingInbound.Status(1, 2, true), c.inbound(1).snapshotStatuses.get(1));
      assertEquals(1, c.get(1).counters().snapshotSendsRejected.sum());
      Await.until("the heartbeat beside them arrived", () -> c.inbound(2).received.get() == 2, 10_000);
    }
  }

  @Test
  void aSnapshotToADisconnectedNodeFailsAtOnce() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      c.faults.partition(1, 2);
      Await.until("disconnected", () -> !c.get(1).isConnected(2), 10_000);
      c.get(1).send(1, 2, List.of(snapshot(GROUP, new byte[1000])));
      assertEquals(List.of(new RecordingInbound.Status(GROUP, 2, false)), c.inbound(1).snapshotStatuses,
          "reported during the send itself");
    }
  }

  private static long partFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".part")).count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
