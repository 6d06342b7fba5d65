package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.spi.LogBatch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A leader serves slightly-behind followers from memory; far-behind ones from RocksDB. */
class RocksLogStoreCacheTest {
  @TempDir
  Path dir;

  @Test
  void recentEntriesAreReadWithoutRocksDbAndOldOnesFromIt() {
    LogStoreConfig cfg = LogStoreConfig.forTests().withEntryCacheBytes(64 << 10); // ~250 of the 1,000 entries
    try (RocksLogStore store = RocksLogStore.open(dir.resolve("db"), cfg)) {
      for (int w = 0; w < 100; w++) {
        LogBatch b = store.newBatch();
        b.append(1, TestEntries.entries(1, w * 10 + 1, w * 10 + 10, 1, 200));
        store.write(List.of(b), false);
      }
      long readsBefore = store.dbReads();
      assertEquals(20, store.storage(1).entries(981, 1001, Long.MAX_VALUE).size());
      assertEquals(readsBefore, store.dbReads(), "a follower 20 entries behind is served from the cache");
      assertTrue(store.cacheHits() > 0);

      assertEquals(10, store.storage(1).entries(1, 11, Long.MAX_VALUE).size());
      assertEquals(readsBefore + 1, store.dbReads(), "one far behind costs a RocksDB read");
      assertTrue(store.cacheMisses() > 0);
      assertTrue(store.cacheBytes() <= cfg.entryCacheBytes());
    }
  }
}
