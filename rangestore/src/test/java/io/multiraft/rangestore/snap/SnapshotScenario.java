package io.multiraft.rangestore.snap;

import io.multiraft.rangestore.api.RangeClient;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.ReplicaMover;
import io.multiraft.rangestore.kv.KvCommand;
import io.multiraft.transport.TransportCounters;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Fills range 1 on node 1 with {@code megabytes} of data, then adds a replica on node 2 over Netty
 * (a streamed snapshot) and checks node 2 holds every key. Reports the time the replica took, the
 * snapshot bytes sent, and the heap the snapshot threads of both transports allocated meanwhile.
 */
final class SnapshotScenario {
  static final int VALUE_BYTES = 16 << 10;
  static final int KEYS_PER_BATCH = 64;

  record Result(long keys, long addReplicaMs, long snapshotBytesSent, long snapshotThreadAllocBytes,
      TransportCounters sender, TransportCounters receiver) {
    double megabytesPerSecond() {
      return snapshotBytesSent / 1e6 / Math.max(1e-3, addReplicaMs / 1e3);
    }
  }

  static byte[] key(int i) {
    return String.format("key%08d", i).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] value(int i) {
    byte[] v = new byte[VALUE_BYTES];
    new SplittableRandom(i).nextBytes(v);
    return v;
  }

  static int fill(RangeClient client, int megabytes) {
    int keys = (int) ((long) megabytes * (1 << 20) / VALUE_BYTES);
    for (int i = 0; i < keys; i += KEYS_PER_BATCH) {
      List<KvCommand.Op> ops = new ArrayList<>();
      for (int j = i; j < Math.min(keys, i + KEYS_PER_BATCH); j++) {
        ops.add(new KvCommand.Op(key(j), value(j)));
      }
      client.call(ops.get(0).key(), s -> s.batch(ops));
    }
    return keys;
  }

  /** Runs the scenario on a started cluster; {@code beforeAdd} may set faults. */
  static Result run(NettyRangeCluster c, int megabytes, Consumer<NettyRangeCluster> beforeAdd) {
    RangeClient client = new RangeClient(c.nodes, 60_000);
    int keys = fill(client, megabytes);
    System.out.println("filled " + keys + " keys");
    beforeAdd.accept(c);
    long[] before = snapshotThreadAllocations();
    long start = System.nanoTime();
    new ReplicaMover(c.nodes, 120_000).addReplica(NettyRangeCluster.RANGE, 2);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("replica added in " + ms + " ms");
    long[] after = snapshotThreadAllocations();
    long alloc = after[0] - before[0];
    RangeStore two = c.node(2);
    new ReplicaMover(c.nodes, 60_000).transferLeader(NettyRangeCluster.RANGE, 2);
    // Page through the range, a few megabytes at a time: the check must not need the range's size in heap.
    int seen = 0;
    byte[] from = new byte[0];
    while (from != null) {
      var page = scanPage(two, from);
      for (var kv : page.entries()) {
        if (!Arrays.equals(key(seen), kv.key()) || (seen % 97 == 0 && !Arrays.equals(value(seen), kv.value()))) {
          throw new AssertionError("key " + seen + " differs on node 2");
        }
        seen++;
      }
      from = page.resumeKey();
    }
    if (seen != keys) {
      throw new AssertionError("node 2 holds " + seen + " keys, expected " + keys);
    }
    return new Result(keys, ms, c.transport(1).counters().snapshotBytesSent.sum(), alloc,
        c.transport(1).counters(), c.transport(2).counters());
  }

  /**
   * One page of node 2's copy. A new leader first commits an entry of its term before it serves
   * reads, which can outlast one request's timeout on a loaded machine: a timed-out page is asked again.
   */
  private static io.multiraft.rangestore.kv.ScanResult scanPage(RangeStore node, byte[] from) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        return node.scan(from, null, 128).join();
      } catch (java.util.concurrent.CompletionException e) {
        if (!(e.getCause() instanceof io.multiraft.node.RaftException.Timeout) || System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  /** Heap bytes allocated so far by the transports' snapshot threads (read, network, disk). */
  static long[] snapshotThreadAllocations() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("raft-snap-")) {
        long b = mx.getThreadAllocatedBytes(t.getId());
        sum += Math.max(0, b);
      }
    }
    return new long[] {sum};
  }

  /** Child-JVM entry: runs the scenario under whatever -Xmx it was given and prints one result line. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int megabytes = Integer.parseInt(args[1]);
    try (NettyRangeCluster c = new NettyRangeCluster(dir, 2)) {
      Result r = run(c, megabytes, x -> { });
      System.out.println("RESULT keys=" + r.keys() + " addReplicaMs=" + r.addReplicaMs() + " snapshotBytes="
          + r.snapshotBytesSent() + " MBps=" + String.format("%.1f", r.megabytesPerSecond()) + " snapAllocBytes="
          + r.snapshotThreadAllocBytes() + " maxHeap=" + Runtime.getRuntime().maxMemory());
    } catch (Throwable t) {
      System.out.println("FAILED " + t);
      t.printStackTrace(System.out);
      System.exit(1);
    }
    System.exit(0);
  }
}
