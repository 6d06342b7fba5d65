package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.spi.LogBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Space must come back after compaction (Dragonboat #372): a range delete alone leaves the data in
 * SST files; the reclaimer's compactRange removes it. Measured as the bytes of *.sst files on disk.
 */
class RocksLogStoreSpaceTest {
  private static final int ENTRIES = 30_000;
  private static final int PAYLOAD = 1_000;

  @TempDir
  Path dir;

  private static long sstBytesOnDisk(Path db) throws IOException {
    try (Stream<Path> files = Files.list(db)) {
      return files.filter(p -> p.toString().endsWith(".sst")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void fill(RocksLogStore store, long group, int entries) {
    for (int from = 1; from <= entries; from += 1_000) {
      LogBatch b = store.newBatch();
      b.append(group, TestEntries.entries(group, from, from + 999, 1, PAYLOAD));
      store.write(List.of(b), false);
    }
    store.write(List.of(store.newBatch()), true);
  }

  @Test
  void compactingALargeGroupAwayGivesItsDiskSpaceBack() throws IOException {
    Path db = dir.resolve("db");
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      fill(store, 7, ENTRIES);
      fill(store, 8, 500); // a neighbour whose entries must survive
      store.flushMemtables();
      long before = sstBytesOnDisk(db);
      assertTrue(before > ENTRIES * (long) PAYLOAD * 8 / 10, "the group is on disk: " + before + " bytes of SST");

      store.compact(7, ENTRIES - 10);
      store.flushMemtables();
      long deletedOnly = sstBytesOnDisk(db);
      assertTrue(deletedOnly > before / 2, "a range delete alone frees little: " + deletedOnly + " of " + before);
      assertEquals(1, store.pendingReclaims());

      assertTrue(store.reclaimSpace() >= 1, "the reclaimer compacted the deleted range");
      long after = sstBytesOnDisk(db);
      System.out.printf("space test: SST bytes %,d before, %,d after the range delete, %,d after reclaiming%n",
          before, deletedOnly, after);
      assertTrue(after < before / 10, "space came back: " + after + " of " + before + " bytes remain");
      assertEquals(ENTRIES - 9, store.storage(7).firstIndex());
      assertEquals(10, store.storage(7).entries(ENTRIES - 9, ENTRIES + 1, Long.MAX_VALUE).size());
      assertEquals(500, store.storage(8).entries(1, 501, Long.MAX_VALUE).size());
    }
  }

  @Test
  void removingALargeGroupGivesItsDiskSpaceBack() throws IOException {
    Path db = dir.resolve("db");
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      fill(store, 3, ENTRIES);
      store.flushMemtables();
      long before = sstBytesOnDisk(db);
      store.removeGroup(3);
      store.flushMemtables();
      store.reclaimSpace();
      long after = sstBytesOnDisk(db);
      assertTrue(after < before / 10, "space came back: " + after + " of " + before + " bytes remain");
      assertTrue(store.groups().isEmpty());
    }
  }

  @Test
  void smallDeletedRangesWaitUntilTogetherTheyAreWorthACompaction() {
    try (RocksLogStore store = RocksLogStore.open(dir.resolve("db"), LogStoreConfig.forTests().withReclaimMinBytes(1L << 30))) {
      fill(store, 1, 2_000);
      fill(store, 2, 2_000);
      store.flushMemtables();
      store.compact(1, 1_000);
      store.compact(2, 1_000);
      assertEquals(0, store.reclaimSpace(), "2 MB deleted is below the 1 GB threshold");
      assertEquals(2, store.pendingReclaims(), "the small ranges stay pending");
    }
  }
}
