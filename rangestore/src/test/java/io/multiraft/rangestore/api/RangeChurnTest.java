package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded churn under writes: splits, merges, relocations and leader transfers in random order.
 * Every acknowledged write must be readable afterwards, and every node must end with exactly the
 * groups of the ranges it replicates. Real threads, so the seed fixes the operations, not the
 * interleaving; a failure names the seed and the operations.
 */
class RangeChurnTest {
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

  /** One seed by default; {@code -Dchurn.seed=S -Dchurn.seeds=N} runs seeds S..S+N-1. */
  @Test
  void churnUnderWritesLosesNothing() throws Exception {
    long first = Long.getLong("churn.seed", 7);
    long count = Long.getLong("churn.seeds", 1);
    for (long seed = first; seed < first + count; seed++) {
      run(seed);
      cluster.close();
      cluster = null;
    }
  }

  private void run(long seed) throws Exception {
    SplittableRandom rnd = new SplittableRandom(seed);
    cluster = InProcessCluster.start(java.nio.file.Files.createDirectories(dir.resolve("seed-" + seed)), 4, 3, b -> b.snapshotEveryEntries(200).compactionMarginEntries(20));
    Map<String, String> acked = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int id = w;
      Thread t = new Thread(() -> {
        RangeClient own = cluster.client(60_000);
        for (int i = 0; !stop.get(); i++) {
          String key = (char) ('a' + (i * 5 + id * 13) % 26) + "-" + id + "-" + i;
          try {
            own.put(k(key), k("v" + i));
            acked.put(key, "v" + i);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            return;
          }
        }
      });
      t.start();
      writers.add(t);
    }
    RangeClient client = cluster.client(60_000);
    ReplicaMover mover = new ReplicaMover(cluster.nodes(), 60_000);
    RangeMerger merger = new RangeMerger(cluster.nodes(), 60_000);
    List<String> log = new ArrayList<>();
    for (int op = 0; op < 16 && failure.get() == null; op++) {
      int kind = rnd.nextInt(4);
      String at = String.valueOf((char) ('b' + rnd.nextInt(24)));
      List<RangeDescriptor> ranges = new ArrayList<>(knownRanges().values());
      RangeDescriptor r = ranges.get(rnd.nextInt(ranges.size()));
      try {
        switch (kind) {
          case 0 -> log.add("split at " + at + ": " + client.call(k(at), s -> s.splitAt(k(at))).right());
          case 1 -> log.add("merge " + r.rangeId() + ": " + merger.merge(r.rangeId()));
          case 2 -> {
            Set<Long> targets = new TreeSet<>(List.of(1L, 2L, 3L, 4L));
            targets.remove(1L + rnd.nextInt(4));
            log.add("relocate " + r.rangeId() + " to " + targets + ": " + mover.relocate(r.rangeId(), targets));
          }
          default -> {
            long to = r.nodeIds().stream().skip(rnd.nextInt(r.nodeIds().size())).findFirst().orElseThrow();
            mover.transferLeader(r.rangeId(), to);
            log.add("transfer " + r.rangeId() + " to " + to);
          }
        }
      } catch (RangeException.Rejected | RangeException.RangeNotFound e) {
        // The range picked from a routing table that was behind may be gone by now: a refusal too.
        log.add("refused: " + e.getMessage());
      } catch (RuntimeException e) {
        StringBuilder st = new StringBuilder();
        for (RangeStore s : cluster.nodes().values()) {
          for (RangeDescriptor d : knownRanges().values()) {
            try {
              var g = s.status(d.rangeId()).join();
              st.append("\n  n").append(s.nodeId()).append(" r").append(d.rangeId()).append(": ").append(g.role())
                  .append(" term ").append(g.term()).append(" leader ").append(g.leader()).append(" commit ").append(g.commit())
                  .append(" applied ").append(g.applied()).append(" last ").append(g.lastIndex()).append(" ").append(g.conf())
                  .append(" state ").append(s.localState(d.rangeId()) == null ? "none" : s.localState(d.rangeId()).descriptor());
            } catch (RuntimeException x) {
              st.append("\n  n").append(s.nodeId()).append(" r").append(d.rangeId()).append(": no group");
            }
          }
        }
        throw new AssertionError("seed " + seed + ": operation " + op + " failed after " + String.join("\n", log) + st, e);
      }
    }
    stop.set(true);
    for (Thread t : writers) {
      t.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("seed " + seed + ": a writer failed after " + log, failure.get());
    }
    for (var e : acked.entrySet()) {
      assertArrayEquals(k(e.getValue()), client.get(k(e.getKey())), "seed " + seed + ", key " + e.getKey() + ", ops " + log);
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!groupsMatchReplicas()) {
      assertTrue(System.nanoTime() < deadline, "seed " + seed + ": groups do not match replicas after " + log);
      LockSupport.parkNanos(10_000_000);
    }
  }

  /** Each node hosts a group exactly for the ranges whose (local, applied) descriptor lists it. */
  private Map<Long, RangeDescriptor> knownRanges() {
    Map<Long, RangeDescriptor> truth = new java.util.TreeMap<>();
    for (RangeStore s : cluster.nodes().values()) {
      for (RangeDescriptor d : s.router().ranges()) {
        truth.merge(d.rangeId(), d, (a, b) -> a.generation() >= b.generation() ? a : b);
      }
    }
    return truth;
  }

  private boolean groupsMatchReplicas() {
    Map<Long, RangeDescriptor> truth = knownRanges();
    for (RangeStore s : cluster.nodes().values()) {
      int expected = 0;
      for (RangeDescriptor d : truth.values()) {
        if (d.hasReplicaOn(s.nodeId())) {
          expected++;
          RangeState st = s.localState(d.rangeId());
          if (st == null || !st.descriptor().equals(d)) {
            return false;
          }
        }
      }
      if (s.raft().groupCount() != expected) {
        return false;
      }
    }
    return true;
  }
}
