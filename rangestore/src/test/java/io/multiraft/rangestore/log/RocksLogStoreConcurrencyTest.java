package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Entry;
import io.multiraft.core.LogStorage;
import io.multiraft.core.StorageException;
import io.multiraft.spi.LogBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lessons 5 and 6 under load: one writer appending (and overwriting uncommitted suffixes, as a
 * follower does), a compactor truncating behind each group's commit index, and readers reading
 * random ranges, all at once. A read may answer Compacted or Unavailable; it must never return a
 * misplaced, stale or non-contiguous entry, nor a term sequence that goes down (a mix of an
 * overwritten and a new suffix). Bounded by a work count and a wall-clock deadline, no sleeps.
 */
class RocksLogStoreConcurrencyTest {
  private static final int GROUPS = 48;
  private static final int WRITES = 3_000;
  private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(120);

  @TempDir
  Path dir;

  @Test
  void readsRacingCompactionsAndOverwritesNeverSeeWrongEntries() throws Exception {
    // a small entry cache so that reads go both to the cache and to RocksDB
    try (RocksLogStore store = RocksLogStore.open(dir.resolve("db"), LogStoreConfig.forTests().withEntryCacheBytes(64 << 10))) {
      long[][] terms = new long[GROUPS + 1][]; // the writer's model: term of each index, per group
      long[] last = new long[GROUPS + 1];
      AtomicLongArray commit = new AtomicLongArray(GROUPS + 1); // never overwritten, may be compacted
      for (int g = 1; g <= GROUPS; g++) {
        terms[g] = new long[1 << 16];
      }
      AtomicBoolean done = new AtomicBoolean();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      AtomicLong reads = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      AtomicLong compactions = new AtomicLong();
      long start = System.nanoTime();

      Thread writer = new Thread(() -> {
        SplittableRandom rnd = new SplittableRandom(1);
        long term = 1;
        try {
          for (int w = 0; w < WRITES && System.nanoTime() - start < DEADLINE_NS; w++) {
            LogBatch b = store.newBatch();
            for (int k = 0; k < 6; k++) {
              int g = 1 + rnd.nextInt(GROUPS);
              long from = last[g] + 1;
              if (rnd.nextInt(8) == 0 && last[g] - commit.get(g) >= 3) {
                from = last[g] - rnd.nextInt(3); // a new leader replaces the uncommitted tail
                term++;
              }
              long to = from + rnd.nextInt(1, 6);
              if (to >= terms[g].length) {
                continue;
              }
              b.append(g, TestEntries.entries(g, from, to, term, 64));
              for (long i = from; i <= to; i++) {
                terms[g][(int) i] = term;
              }
              last[g] = to;
              commit.set(g, Math.max(commit.get(g), to - 4));
            }
            store.write(List.of(b), rnd.nextInt(10) == 0);
          }
        } catch (Throwable t) {
          failures.add(t);
        } finally {
          done.set(true);
        }
      }, "writer");

      Thread compactor = new Thread(() -> {
        SplittableRandom rnd = new SplittableRandom(2);
        try {
          while (!done.get()) {
            int g = 1 + rnd.nextInt(GROUPS);
            long c = commit.get(g);
            if (c > 1) {
              store.compact(g, 1 + rnd.nextLong(c));
              compactions.incrementAndGet();
            }
            if ((compactions.get() & 127) == 0) {
              store.reclaimSpace();
            }
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }, "compactor");

      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int seed = 10 + r;
        readers.add(new Thread(() -> {
          SplittableRandom rnd = new SplittableRandom(seed);
          try {
            while (!done.get()) {
              int g = 1 + rnd.nextInt(GROUPS);
              LogStorage log = store.storage(g);
              long first = log.firstIndex();
              long lastIndex = log.lastIndex();
              if (lastIndex < first) {
                continue;
              }
              long lo = first + rnd.nextLong(lastIndex - first + 1);
              long hi = Math.min(lastIndex + 1, lo + 1 + rnd.nextInt(40));
              try {
                List<Entry> read = log.entries(lo, hi, rnd.nextBoolean() ? Long.MAX_VALUE : 1_000);
                check(g, lo, read);
                if (rnd.nextInt(4) == 0) {
                  long t = log.term(lo);
                  assertEquals(read.get(0).term() <= t, true, "term(" + lo + ") went down after entries()");
                }
                reads.incrementAndGet();
              } catch (StorageException.Compacted | StorageException.Unavailable e) {
                refused.incrementAndGet();
              }
            }
          } catch (Throwable t) {
            failures.add(t);
          }
        }, "reader-" + r));
      }

      writer.start();
      compactor.start();
      readers.forEach(Thread::start);
      long joinMs = TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS) + 30_000;
      writer.join(joinMs);
      compactor.join(joinMs);
      for (Thread t : readers) {
        t.join(joinMs);
      }
      assertTrue(failures.isEmpty(), () -> "failures: " + failures);
      assertTrue(reads.get() > 100, "readers got through: " + reads.get() + " reads, " + refused.get() + " refused");
      assertTrue(compactions.get() > 10, "compactions: " + compactions.get());

      // the final state matches the writer's model exactly
      for (int g = 1; g <= GROUPS; g++) {
        LogStorage log = store.storage(g);
        assertEquals(last[g], log.lastIndex(), "last index of group " + g);
        long first = log.firstIndex();
        if (first <= last[g]) {
          List<Entry> all = log.entries(first, last[g] + 1, Long.MAX_VALUE);
          for (Entry e : all) {
            assertEquals(terms[g][(int) e.index()], e.term(), "term of " + g + "/" + e.index());
          }
        }
      }
    }
  }

  private static void check(int g, long lo, List<Entry> read) {
    assertTrue(!read.isEmpty(), "an in-range read returns at least one entry");
    long expect = lo;
    long prevTerm = 0;
    for (Entry e : read) {
      assertEquals(expect++, e.index(), "entries are contiguous from lo");
      assertTrue(TestEntries.isGenuine(g, e), "entry " + g + "/" + e.index() + " carries another entry's data");
      assertTrue(e.term() >= prevTerm, "terms go down at " + g + "/" + e.index() + ": a mix of old and new entries");
      prevTerm = e.term();
    }
  }
}
