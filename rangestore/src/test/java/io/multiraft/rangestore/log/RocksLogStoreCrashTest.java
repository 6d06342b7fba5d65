package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Entry;
import io.multiraft.core.HardState;
import io.multiraft.core.LogStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process crash in the middle of writing: a child JVM writes synced then unsynced batches and
 * halts. Reopening must find every synced batch, and each batch all-or-nothing across its groups.
 */
class RocksLogStoreCrashTest {
  private static final int GROUPS = 200;
  private static final int SYNCED = 30;
  private static final int UNSYNCED = 20;

  @TempDir
  Path dir;

  @Test
  void afterACrashEverySyncedBatchSurvivesAndEachBatchIsAllOrNothing() throws Exception {
    Path db = dir.resolve("db");
    try (ChildJvm child = ChildJvm.start(dir.resolve("run"), CrashChild.class, 0,
        db.toString(), Integer.toString(GROUPS), Integer.toString(SYNCED), Integer.toString(UNSYNCED))) {
      child.awaitLine("synced " + SYNCED, Duration.ofSeconds(60));
      assertEquals(0, child.exitCode(Duration.ofSeconds(60)), () -> "child output: " + child.transcript());
    }
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      assertEquals(GROUPS, store.groups().size());
      long survivingLast = store.storage(1).lastIndex();
      assertTrue(survivingLast >= SYNCED, "a synced batch was lost: last index " + survivingLast);
      assertTrue(survivingLast <= SYNCED + UNSYNCED);
      for (long g = 1; g <= GROUPS; g++) {
        LogStorage log = store.storage(g);
        assertEquals(survivingLast, log.lastIndex(), "batch " + (survivingLast + 1) + " half there: group " + g + " differs");
        HardState hs = log.initialState().hardState();
        assertEquals(survivingLast, hs.commit(), "the hard state of group " + g + " comes from the same batch");
        List<Entry> all = log.entries(1, survivingLast + 1, Long.MAX_VALUE);
        assertEquals(survivingLast, all.size());
        for (Entry e : all) {
          assertTrue(TestEntries.isGenuine(g, e));
        }
      }
      // A process crash keeps what reached the OS (the WAL is written, not just buffered, on every
      // write); only a machine crash would lose unsynced writes. Reported, not asserted.
      System.out.println("crash test: " + (survivingLast - SYNCED) + " of " + UNSYNCED + " unsynced batches survived the process crash");
    }
  }
}
