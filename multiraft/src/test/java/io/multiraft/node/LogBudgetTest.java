package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.LogStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The node's log budget: groups snapshot and compact by bytes, the budget shared among them, so a
 * node's log does not grow with the number of groups it hosts.
 */
class LogBudgetTest {
  private static final int GROUPS = 4;
  private static final int WRITES = 200;
  private static final int PAYLOAD = 1_000;

  @Test
  void aGroupCompactsItsLogWhenItHoldsItsShareOfTheBudget() {
    // 64 KiB among 4 groups: a group snapshots after ~16 entries of 1 KB, and keeps at most two
    // such intervals, though the entry count alone (off here) would never have compacted it.
    LogStorage log = writeAndReadLog(64 << 10);
    long kept = log.lastIndex() - log.firstIndex() + 1;
    assertTrue(log.lastIndex() >= WRITES, "all written, last index " + log.lastIndex());
    assertTrue(kept <= 40, "at most two budget intervals kept, got " + kept + " entries");
  }

  @Test
  void withoutABudgetTheLogKeepsEverything() {
    LogStorage log = writeAndReadLog(0);
    assertTrue(log.lastIndex() - log.firstIndex() + 1 >= WRITES, "nothing compacted: first " + log.firstIndex() + ", last " + log.lastIndex());
  }

  @Test
  void theShareOfAGroupShrinksWithTheGroupsButNotBelowTheFloor() {
    NodeConfig cfg = NodeConfig.builder(1).logBudgetBytes(1 << 20).build();
    assertEquals(1 << 20, cfg.groupLogBytes(0));
    assertEquals(1 << 18, cfg.groupLogBytes(4));
    assertEquals(NodeConfig.MIN_GROUP_LOG_BYTES, cfg.groupLogBytes(1_000_000));
    assertEquals(0, NodeConfig.builder(1).logBudgetBytes(0).build().groupLogBytes(4));
  }

  private static LogStorage writeAndReadLog(long budget) {
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L,
        b -> b.snapshotEveryEntries(0).compactionMarginEntries(1_000).logBudgetBytes(budget))) {
      for (long g = 1; g <= GROUPS; g++) {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (MultiRaftNode n : c.nodes.values()) {
          fs.add(n.createGroup(g, c.voters()));
        }
        c.settle();
        CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
      }
      c.await("leader of group 1", () -> c.agreedLeader(1) != 0, 60_000);
      long leader = c.agreedLeader(1);
      List<CompletableFuture<Object>> writes = new ArrayList<>();
      for (int i = 0; i < WRITES; i++) {
        writes.add(c.node(leader).propose(1, new byte[PAYLOAD]));
        c.settle();
      }
      c.await("writes applied", () -> writes.stream().allMatch(CompletableFuture::isDone), 30_000);
      c.settle();
      return c.stores.get(leader).storage(1);
    }
  }
}
