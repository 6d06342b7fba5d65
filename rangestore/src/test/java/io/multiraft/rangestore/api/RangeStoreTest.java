package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.kv.KeyValue;
import io.multiraft.rangestore.kv.KvCommand;
import io.multiraft.rangestore.range.RangeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeStoreTest {
  @TempDir Path dir;
  InProcessCluster cluster;
  RangeClient client;

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @BeforeEach
  void start() {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b);
    client = cluster.client(10_000);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** The node leading range {@code id}, once one is elected (a write through the client elects one). */
  RangeStore leaderOf(long id) {
    client.put(k("warm-up"), k("x"));
    long leader = cluster.node(1).router().route(id).leaderHint();
    for (RangeStore s : cluster.nodes().values()) {
      if (s.status(id).join().role() == io.multiraft.core.Role.LEADER) {
        return s;
      }
    }
    throw new AssertionError("no leader of range " + id + " (hint " + leader + ")");
  }

  @Test
  void putGetDeleteAndScanThroughTheRouter() {
    for (int i = 0; i < 50; i++) {
      client.put(k(String.format("key%03d", i)), k("v" + i));
    }
    assertArrayEquals(k("v7"), client.get(k("key007")));
    client.delete(k("key007"));
    assertNull(client.get(k("key007")));
    List<KeyValue> all = client.scan(k("key000"), k("key020"), 7);
    assertEquals(19, all.size());
    assertArrayEquals(k("key019"), all.get(18).key());
  }

  @Test
  void compareAndSetAndBatchesOnTheLeader() {
    RangeStore leader = leaderOf(InProcessCluster.FIRST_RANGE);
    assertTrue(leader.compareAndSet(k("c"), null, k("1")).join());
    assertFalse(leader.compareAndSet(k("c"), k("0"), k("2")).join());
    assertTrue(leader.compareAndSet(k("c"), k("1"), null).join());
    assertNull(leader.get(k("c")).join());
    leader.batch(List.of(new KvCommand.Op(k("b1"), k("1")), new KvCommand.Op(k("b2"), k("2")))).join();
    assertArrayEquals(k("2"), leader.get(k("b2")).join());
  }

  @Test
  void aFollowerAnswersNotLeaderWithAHint() {
    RangeStore leader = leaderOf(InProcessCluster.FIRST_RANGE);
    RangeStore follower = cluster.nodes().values().stream().filter(s -> s != leader).findFirst().orElseThrow();
    CompletionException e = assertThrows(CompletionException.class, () -> follower.put(k("x"), k("1")).join());
    RangeException.NotLeader nl = assertInstanceOf(RangeException.NotLeader.class, e.getCause());
    assertEquals(leader.nodeId(), nl.leaderHint());
  }

  @Test
  void oversizedInputIsRefusedUpFront() {
    RangeStore s = cluster.node(1);
    assertThrows(RangeException.Rejected.class, () -> s.put(new byte[2000], k("v")));
    assertThrows(RangeException.Rejected.class, () -> s.put(k("k"), null));
    assertThrows(RangeException.Rejected.class, () -> s.batch(List.of()));
    assertThrows(RangeException.Rejected.class, () -> s.scan(k("a"), null, 0));
  }
}
