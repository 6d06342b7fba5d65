package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitTest {
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

  static SplitResult split(RangeClient client, long rangeId, String at) {
    return client.call(k(at), s -> s.split(rangeId, k(at)));
  }

  /** Waits until every node's replica of every range agrees on its descriptor. */
  static void awaitConvergence(InProcessCluster c, int ranges) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      Map<Long, RangeDescriptor> seen = new java.util.HashMap<>();
      boolean agreed = true;
      for (RangeStore s : c.nodes().values()) {
        List<RangeDescriptor> rs = s.router().ranges();
        if (rs.size() != ranges) {
          agreed = false;
        }
        for (RangeDescriptor d : rs) {
          RangeState st = s.localState(d.rangeId());
          RangeDescriptor prev = seen.putIfAbsent(d.rangeId(), st == null ? null : st.descriptor());
          if (st == null || (prev != null && !prev.equals(st.descriptor()))) {
            agreed = false;
          }
        }
      }
      if (agreed) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("ranges did not converge: " + c.node(1).router().ranges());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
  }

  @Test
  void splitsUnderConcurrentWritesLoseNothingAndEveryKeyStaysReadable() throws Exception {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b);
    RangeClient client = cluster.client(20_000);
    Map<String, String> acked = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int id = w;
      Thread t = new Thread(() -> {
        RangeClient own = cluster.client(20_000);
        for (int i = 0; !stop.get(); i++) {
          String key = String.format("%c%05d-%d", (char) ('a' + (i * 7 + id) % 26), i, id);
          try {
            own.put(k(key), k("v" + i));
            acked.put(key, "v" + i);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            return;
          }
        }
      }, "writer-" + w);
      t.start();
      writers.add(t);
    }
    long range = InProcessCluster.FIRST_RANGE;
    List<Long> ids = new ArrayList<>(List.of(range));
    for (String at : List.of("m", "f", "t", "c", "w")) {
      while (acked.size() < 100 * ids.size() && failure.get() == null) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      long owner = cluster.node(1).router().lookup(k(at)).rangeId();
      SplitResult r = split(client, owner, at);
      assertArrayEquals(k(at), r.right().startKey());
      ids.add(r.right().rangeId());
    }
    stop.set(true);
    for (Thread t : writers) {
      t.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("a writer failed", failure.get());
    }
    awaitConvergence(cluster, 6);
    for (var e : acked.entrySet()) {
      assertArrayEquals(k(e.getValue()), client.get(k(e.getKey())), "key " + e.getKey());
    }
    assertEquals(acked.size(), client.scan(new byte[0], null, 500).size());
    for (long id : ids) {
      RangeDescriptor d = cluster.node(2).router().route(id).descriptor();
      for (var key : acked.keySet()) {
        if (d.contains(k(key))) {
          assertEquals(id, cluster.node(3).router().lookup(k(key)).rangeId());
        }
      }
    }
  }

  @Test
  void concurrentKeyAddressedSplitsOfOneRangeAllLand() throws Exception {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b);
    RangeClient client = cluster.client(20_000);
    client.put(k("a"), k("1"));
    List<String> keys = List.of("b", "d", "f", "h", "j", "l", "n", "p");
    List<Thread> threads = new ArrayList<>();
    Map<String, Throwable> failures = new ConcurrentHashMap<>();
    for (String key : keys) {
      // all of them read generation 0 of the one range; all but one lose the race and must re-read
      Thread t = new Thread(() -> {
        try {
          client.call(k(key), s -> s.splitAt(k(key)));
        } catch (RuntimeException e) {
          failures.put(key, e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(failures.isEmpty(), "failed splits: " + failures);
    awaitConvergence(cluster, keys.size() + 1);
    assertArrayEquals(k("1"), client.get(k("a")));
  }

  @Test
  void badSplitKeysAreRefusedPreciselyAndApplyNothing() {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b);
    RangeClient client = cluster.client(10_000);
    SplitResult first = split(client, InProcessCluster.FIRST_RANGE, "m");
    RangeException.Rejected atStart = assertThrows(RangeException.Rejected.class,
        () -> split(client, first.right().rangeId(), "m"));
    assertTrue(atStart.getMessage().contains("strictly inside"), atStart.getMessage());
    RangeException.Rejected outside = assertThrows(RangeException.Rejected.class,
        () -> client.call(k("a"), s -> s.split(first.right().rangeId(), k("a"))));
    assertTrue(outside.getMessage().contains("strictly inside"), outside.getMessage());
    awaitConvergence(cluster, 2);
    assertEquals(first.right(), cluster.node(1).localState(first.right().rangeId()).descriptor());
    var e = assertThrows(java.util.concurrent.CompletionException.class, () -> cluster.node(1).split(999, k("x")).join());
    assertInstanceOf(RangeException.RangeNotFound.class, e.getCause());
  }

  @Test
  void aRestartRecoversEveryRangeItsDescriptorAndItsData() {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b);
    RangeClient client = cluster.client(20_000);
    for (int i = 0; i < 200; i++) {
      client.put(k(String.format("k%03d", i)), k("v" + i));
    }
    SplitResult a = split(client, InProcessCluster.FIRST_RANGE, "k100");
    SplitResult b = split(client, a.right().rangeId(), "k150");
    awaitConvergence(cluster, 3);
    List<RangeDescriptor> before = cluster.node(1).router().ranges();
    for (long id = 1; id <= 3; id++) {
      cluster.stopNode(id);
    }
    for (long id = 1; id <= 3; id++) {
      cluster.startNode(id);
    }
    awaitConvergence(cluster, 3);
    for (RangeStore s : cluster.nodes().values()) {
      assertEquals(before, s.router().ranges());
    }
    RangeClient again = cluster.client(20_000);
    for (int i = 0; i < 200; i++) {
      assertArrayEquals(k("v" + i), again.get(k(String.format("k%03d", i))));
    }
    again.put(k("k160"), k("after"));
    assertEquals(b.right().rangeId(), cluster.node(2).router().lookup(k("k160")).rangeId());
    assertNotNull(again.get(k("k160")));
    assertInstanceOf(RangeDescriptor.class, cluster.node(3).router().route(b.right().rangeId()).descriptor());
  }

  @Test
  void aRightRangeWhoseGroupCreationACrashLostIsCreatedAtRestart() {
    cluster = InProcessCluster.start(dir, 1, 1, b -> b);
    RangeClient client = cluster.client(10_000);
    client.put(k("x"), k("1"));
    SplitResult r = split(client, InProcessCluster.FIRST_RANGE, "m");
    awaitConvergence(cluster, 2);
    LaggingReplicaTest.await("the right range's group", () -> cluster.node(1).raft().groupCount() == 2);
    cluster.stopNode(1);
    // The split's WriteBatch is durable but the new group's bootstrap is not: remove it from the log.
    try (var store = io.multiraft.rangestore.log.RocksLogStore.open(dir.resolve("n1").resolve("db"))) {
      assertTrue(store.groups().contains(r.right().rangeId()));
      store.removeGroup(r.right().rangeId());
    }
    cluster.startNode(1);
    RangeClient again = cluster.client(10_000);
    assertArrayEquals(k("1"), again.get(k("x")));
    again.put(k("y"), k("2"));
    assertArrayEquals(k("2"), again.get(k("y")));
    assertEquals(r.right().rangeId(), cluster.node(1).router().lookup(k("y")).rangeId());
  }
}
