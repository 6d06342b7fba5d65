package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Entry;
import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LogWriterTest {
  private final MemoryLogStore store = new MemoryLogStore();

  private LogBatch batch(long group, long from, long to) {
    LogBatch b = store.newBatch();
    List<Entry> es = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      es.add(Entry.normal(1, i, new byte[10]));
    }
    b.append(group, es);
    return b;
  }

  @Test
  void batchesSubmittedBeforeAFlushShareOneSyncedWrite() {
    LogWriter writer = new LogWriter(store);
    List<Throwable> outcomes = new CopyOnWriteArrayList<>();
    for (long g = 1; g <= 10; g++) {
      assertTrue(writer.submit(batch(g, 1, 3), outcomes::add));
    }
    assertEquals(0, outcomes.size());
    assertEquals(10, writer.flush());
    assertEquals(10, outcomes.size());
    outcomes.forEach(o -> assertNull(o));
    assertEquals(1, writer.flushes(), "one write");
    assertEquals(1, store.syncs(), "one sync");
    assertEquals(0, store.unsyncedWrites());
    assertEquals(10, writer.batches());
    assertEquals(30, writer.entries());
    assertEquals(30 * (10 + Entry.OVERHEAD_BYTES), writer.bytes());
    store.crash();
    for (long g = 1; g <= 10; g++) {
      assertEquals(3, store.storage(g).lastIndex(), "durable after completion");
    }
  }

  @Test
  void aFailedWriteFailsEveryBatchItCarriedAndCountsNoFlush() {
    LogWriter writer = new LogWriter(store);
    AtomicReference<Throwable> a = new AtomicReference<>();
    AtomicReference<Throwable> b = new AtomicReference<>();
    writer.submit(batch(1, 1, 1), a::set);
    writer.submit(batch(2, 1, 1), b::set);
    store.failNextWrite("disk full");
    writer.flush();
    assertTrue(a.get() instanceof LogStoreException, String.valueOf(a.get()));
    assertTrue(b.get() instanceof LogStoreException);
    assertEquals(0, writer.flushes());
    assertEquals(1, writer.failedFlushes());
    assertEquals(0, writer.entries());
  }

  @Test
  void theSubmitHookRunsOnceForEachAcceptedBatch() {
    LogWriter writer = new LogWriter(store, new LogWriter.Config(2, 16, 1 << 20));
    AtomicInteger wakes = new AtomicInteger();
    writer.onSubmit(wakes::incrementAndGet);
    assertTrue(writer.submit(batch(1, 1, 1), f -> { }));
    assertTrue(writer.submit(batch(2, 1, 1), f -> { }));
    assertFalse(writer.submit(batch(3, 1, 1), f -> { }), "full: overloaded");
    assertEquals(2, wakes.get());
  }

  @Test
  void aWriteSlowerThanTheThresholdIsCountedWithItsLength() {
    long[] now = {0};
    long[] step = {LogWriter.SLOW_WRITE_NS + 100_000_000L};
    LogWriter writer = new LogWriter(store, LogWriter.Config.defaults(), () -> now[0] += step[0]);
    writer.submit(batch(1, 1, 1), f -> { });
    writer.flush();
    step[0] = LogWriter.SLOW_WRITE_NS / 10;
    writer.submit(batch(1, 2, 2), f -> { });
    writer.flush();
    assertEquals(2, writer.flushes());
    assertEquals(1, writer.slowWrites(), "only the first write was slow");
    assertEquals(LogWriter.SLOW_WRITE_NS + 100_000_000L, writer.longestSlowWriteNs());
  }

  @Test
  void closeWritesWhatWasSubmittedAndRefusesMore() {
    LogWriter writer = new LogWriter(store);
    AtomicReference<Throwable> outcome = new AtomicReference<>(new IllegalStateException("not completed"));
    writer.submit(batch(1, 1, 2), outcome::set);
    writer.close();
    assertNull(outcome.get());
    assertEquals(2, store.storage(1).lastIndex());
    assertThrows(IllegalStateException.class, () -> writer.submit(batch(2, 1, 1), f -> { }));
  }

  @Test
  void theStartedThreadGroupCommitsConcurrentWorkersBatches() throws Exception {
    int workers = 4;
    int batchesPerWorker = 500;
    LogWriter writer = new LogWriter(store);
    writer.start();
    CountDownLatch done = new CountDownLatch(workers * batchesPerWorker);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      long group = w + 1;
      Thread t = new Thread(() -> {
        for (int i = 1; i <= batchesPerWorker; i++) {
          LogBatch b = batch(group, i, i);
          while (!writer.submit(b, f -> {
            if (f != null) {
              failures.add(f);
            }
            done.countDown();
          })) {
            Thread.onSpinWait();
          }
        }
      });
      threads.add(t);
      t.start();
    }
    assertTrue(done.await(60, TimeUnit.SECONDS), "every batch completes within the deadline");
    writer.close();
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertTrue(failures.isEmpty(), failures::toString);
    assertEquals(workers * batchesPerWorker, writer.batches());
    assertTrue(writer.flushes() <= writer.batches());
    assertEquals(writer.flushes(), store.syncs(), "one sync per flush");
    for (long g = 1; g <= workers; g++) {
      assertEquals(batchesPerWorker, store.storage(g).lastIndex(), "each worker's batches in its order");
    }
  }
}
