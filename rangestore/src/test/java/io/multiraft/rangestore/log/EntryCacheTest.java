package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class EntryCacheTest {
  private static final int CF = 1;

  /** Caches entries as the writer does: from their encoded WriteBatch records. */
  private static void append(EntryCache cache, EntryCache.Slot slot, long group, List<Entry> entries) {
    byte[][] keys = new byte[entries.size()][];
    byte[][] values = new byte[entries.size()][];
    int size = 0;
    for (int i = 0; i < entries.size(); i++) {
      keys[i] = LogKeys.log(group, entries.get(i).index());
      values[i] = EntryCodec.encode(keys[i], entries.get(i));
      size += WriteBatchRep.putBytes(CF, keys[i], values[i]);
    }
    byte[] records = new byte[size];
    int[] offsets = new int[entries.size() + 1];
    for (int i = 0; i < entries.size(); i++) {
      offsets[i + 1] = WriteBatchRep.encodePut(records, offsets[i], CF, keys[i], values[i]);
    }
    cache.append(slot, entries.get(0).index(), records, offsets, 0, entries.size());
  }

  private static List<Entry> entries(long group, long from, long to, long term) {
    return TestEntries.entries(group, from, to, term, 100);
  }

  private static final long RECORD = 1 + 1 + 1 + 16 + 2 + EntryCodec.HEADER_BYTES + 100;

  @Test
  void recentEntriesAreServedFromTheCacheAndUnknownOnesMiss() {
    EntryCache cache = new EntryCache(1 << 20, 1);
    EntryCache.Slot one = cache.slot(1);
    append(cache, one, 1, entries(1, 1, 10, 1));
    List<Entry> read = cache.get(one, 3, 8, Long.MAX_VALUE, "test");
    assertEquals(entries(1, 3, 7, 1), read);
    assertEquals(1, cache.term(one, 10, "test"));
    assertNull(cache.get(cache.slot(2), 1, 2, Long.MAX_VALUE, "test"), "another group misses");
    assertNull(cache.get(one, 9, 12, Long.MAX_VALUE, "test"), "beyond what is cached misses");
    assertEquals(2, cache.hits());
    assertEquals(2, cache.misses());
  }

  @Test
  void aReadHonoursTheByteLimitButReturnsOneEntry() {
    EntryCache cache = new EntryCache(1 << 20, 1);
    EntryCache.Slot one = cache.slot(1);
    append(cache, one, 1, entries(1, 1, 10, 1));
    long entry = entries(1, 1, 1, 1).get(0).sizeBytes();
    assertEquals(1, cache.get(one, 1, 11, 0, "test").size());
    assertEquals(2, cache.get(one, 1, 11, 2 * entry, "test").size());
  }

  @Test
  void anOverwriteReplacesTheCachedSuffix() {
    EntryCache cache = new EntryCache(1 << 20, 1);
    EntryCache.Slot one = cache.slot(1);
    append(cache, one, 1, entries(1, 1, 10, 1));
    append(cache, one, 1, entries(1, 6, 7, 2));
    assertEquals(2, cache.term(one, 7, "test"));
    assertEquals(1, cache.term(one, 5, "test"));
    assertEquals(-1, cache.term(one, 8, "test"), "the stale suffix is gone");
  }

  @Test
  void aGapStartsTheCachedSuffixAnew() {
    EntryCache cache = new EntryCache(1 << 20, 1);
    EntryCache.Slot one = cache.slot(1);
    append(cache, one, 1, entries(1, 1, 5, 1));
    append(cache, one, 1, entries(1, 20, 21, 1));
    assertNull(cache.get(one, 5, 6, Long.MAX_VALUE, "test"));
    assertEquals(2, cache.get(one, 20, 22, Long.MAX_VALUE, "test").size());
  }

  @Test
  void theByteBoundIsPerNodeAndTheGroupsWrittenLeastRecentlyLoseTheirOldestEntriesFirst() {
    EntryCache cache = new EntryCache(100 * RECORD, 4);
    List<EntryCache.Slot> slots = new ArrayList<>();
    for (long g = 1; g <= 30; g++) {
      slots.add(cache.slot(g));
      append(cache, slots.get((int) g - 1), g, entries(g, 1, 5, 1)); // 150 entries through a ring of 100
    }
    assertTrue(cache.bytes() <= 100 * RECORD);
    assertNull(cache.get(slots.get(0), 1, 2, Long.MAX_VALUE, "test"), "the first groups written were overwritten");
    assertNotNull(cache.get(slots.get(29), 1, 6, Long.MAX_VALUE, "test"), "the last group written is whole");
  }

  @Test
  void compactionAndResetDropEntries() {
    EntryCache cache = new EntryCache(1 << 20, 1);
    EntryCache.Slot one = cache.slot(1);
    append(cache, one, 1, entries(1, 1, 10, 1));
    cache.dropUpTo(one, 4);
    assertNull(cache.get(one, 4, 5, Long.MAX_VALUE, "test"));
    assertEquals(6, cache.get(one, 5, 11, Long.MAX_VALUE, "test").size());
    cache.clear(one);
    assertNull(cache.get(one, 5, 6, Long.MAX_VALUE, "test"));
    append(cache, one, 1, entries(1, 11, 12, 1));
    assertEquals(2, cache.get(one, 11, 13, Long.MAX_VALUE, "test").size(), "a cleared slot fills again");
  }

  @Test
  void aZeroBudgetCachesNothing() {
    EntryCache cache = new EntryCache(0, 1);
    EntryCache.Slot one = cache.slot(1);
    append(cache, one, 1, entries(1, 1, 3, 1));
    assertNull(cache.get(one, 1, 2, Long.MAX_VALUE, "test"));
    assertEquals(0, cache.bytes());
  }

  /**
   * A tiny ring the writer laps constantly: a reader that copies bytes the writer is overwriting
   * must see a miss, never an entry failing its checksum or carrying another entry's data.
   */
  @Test
  void readersRacingTheWriterAroundATinyRingNeverGetOverwrittenBytes() throws Exception {
    int groups = 8;
    EntryCache cache = new EntryCache(16 * RECORD, 2);
    EntryCache.Slot[] slots = new EntryCache.Slot[groups + 1];
    for (int g = 1; g <= groups; g++) {
      slots[g] = cache.slot(g);
    }
    AtomicLongArray last = new AtomicLongArray(groups + 1);
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicLong hits = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Thread writer = new Thread(() -> {
      SplittableRandom rnd = new SplittableRandom(3);
      try {
        for (int w = 0; w < 200_000 && System.nanoTime() < deadline; w++) {
          int g = 1 + rnd.nextInt(groups);
          long from = last.get(g) + 1;
          long to = from + rnd.nextInt(3);
          append(cache, slots[g], g, entries(g, from, to, 1));
          last.set(g, to);
        }
      } catch (Throwable t) {
        failures.add(t);
      } finally {
        done.set(true);
      }
    });
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      int seed = r;
      Thread t = new Thread(() -> {
        SplittableRandom rnd = new SplittableRandom(100 + seed);
        try {
          while (!done.get()) {
            int g = 1 + rnd.nextInt(groups);
            long l = last.get(g);
            if (l < 3) {
              continue;
            }
            long lo = l - rnd.nextInt(3);
            List<Entry> read = cache.get(slots[g], lo, l + 1, Long.MAX_VALUE, "test");
            if (read != null) {
              for (int i = 0; i < read.size(); i++) {
                assertEquals(lo + i, read.get(i).index());
                assertTrue(TestEntries.isGenuine(g, read.get(i)));
              }
              hits.incrementAndGet();
            }
          }
        } catch (Throwable t2) {
          failures.add(t2);
        }
      });
      readers.add(t);
      t.start();
    }
    writer.start();
    writer.join(90_000);
    for (Thread t : readers) {
      t.join(90_000);
    }
    assertTrue(failures.isEmpty(), () -> "failures: " + failures);
    assertTrue(hits.get() > 0, "some reads were served from the cache");
  }
}
