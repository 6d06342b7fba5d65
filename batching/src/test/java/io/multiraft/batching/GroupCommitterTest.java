package io.multiraft.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  /** Records every flush as a copy of its list. */
  private static final class RecordingFlusher implements Flusher<String> {
    final List<List<String>> flushes = new CopyOnWriteArrayList<>();

    @Override
    public void flush(List<String> items) {
      flushes.add(List.copyOf(items));
    }
  }

  /** Records the outcome of one item. */
  private static final class Outcome implements Completion {
    final AtomicInteger calls = new AtomicInteger();
    volatile Throwable failure;

    @Override
    public void complete(Throwable failure) {
      this.failure = failure;
      calls.incrementAndGet();
    }
  }

  private static GroupCommitter<String> committer(int capacity, int maxItems, long maxBytes, Flusher<String> flusher) {
    return new GroupCommitter<>(capacity, BatchLimits.of(maxItems, maxBytes), String::length, flusher);
  }

  @Test
  void oneFlushCarriesEveryPendingItemInSubmissionOrderAndCompletesEach() {
    RecordingFlusher flusher = new RecordingFlusher();
    GroupCommitter<String> gc = committer(16, 100, 1_000, flusher);
    List<Outcome> outcomes = new ArrayList<>();
    for (String s : List.of("a", "b", "c")) {
      Outcome o = new Outcome();
      outcomes.add(o);
      assertTrue(gc.submit(s, o));
    }
    assertEquals(0, outcomes.get(0).calls.get(), "nothing completes before the flush");
    assertEquals(3, gc.flush());
    assertEquals(List.of(List.of("a", "b", "c")), flusher.flushes);
    for (Outcome o : outcomes) {
      assertEquals(1, o.calls.get());
      assertNull(o.failure);
    }
  }

  @Test
  void flushWithNothingPendingReturnsZeroWithoutCallingTheFlusher() {
    RecordingFlusher flusher = new RecordingFlusher();
    GroupCommitter<String> gc = committer(16, 100, 1_000, flusher);
    assertEquals(0, gc.flush());
    assertTrue(flusher.flushes.isEmpty());
  }

  @Test
  void aFlushTakesAtMostMaxItemsAndLeavesTheRestForTheNextFlush() {
    RecordingFlusher flusher = new RecordingFlusher();
    GroupCommitter<String> gc = committer(16, 2, 1_000, flusher);
    for (String s : List.of("a", "b", "c", "d", "e")) {
      gc.submit(s, f -> { });
    }
    assertEquals(2, gc.flush());
    assertEquals(2, gc.flush());
    assertEquals(1, gc.flush());
    assertEquals(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e")), flusher.flushes);
  }

  @Test
  void aFlushStopsAtTheByteLimitButAlwaysTakesOneItem() {
    RecordingFlusher flusher = new RecordingFlusher();
    GroupCommitter<String> gc = committer(16, 100, 4, flusher);
    gc.submit("oversized", f -> { });
    gc.submit("ab", f -> { });
    gc.submit("cd", f -> { });
    gc.submit("ef", f -> { });
    gc.flush();
    gc.flush();
    gc.flush();
    assertEquals(List.of(List.of("oversized"), List.of("ab", "cd"), List.of("ef")), flusher.flushes);
  }

  @Test
  void submitRefusesWhenTheQueueIsFullAndTakesNothing() {
    RecordingFlusher flusher = new RecordingFlusher();
    GroupCommitter<String> gc = committer(4, 100, 1_000, flusher);
    int accepted = 0;
    while (gc.submit("x" + accepted, f -> { })) {
      accepted++;
      assertTrue(accepted <= gc.capacity(), "submit must refuse once capacity is reached");
    }
    assertEquals(gc.capacity(), accepted);
    Outcome refused = new Outcome();
    assertFalse(gc.submit("late", refused));
    gc.flush();
    assertEquals(0, refused.calls.get(), "a refused item is never completed");
    assertEquals(accepted, flusher.flushes.get(0).size());
    assertTrue(gc.submit("room again", f -> { }));
  }

  @Test
  void aFailedFlushFailsEveryItemItCarriedAndTheNextFlushStillWorks() {
    IllegalStateException diskFull = new IllegalStateException("disk full");
    AtomicInteger calls = new AtomicInteger();
    GroupCommitter<String> gc = committer(16, 100, 1_000, items -> {
      if (calls.incrementAndGet() == 1) {
        throw diskFull;
      }
    });
    Outcome a = new Outcome();
    Outcome b = new Outcome();
    gc.submit("a", a);
    gc.submit("b", b);
    assertEquals(2, gc.flush(), "a failed flush still reports the items it completed");
    assertSame(diskFull, a.failure);
    assertSame(diskFull, b.failure);
    Outcome c = new Outcome();
    gc.submit("c", c);
    gc.flush();
    assertEquals(1, c.calls.get());
    assertNull(c.failure);
  }

  @Test
  void everyCompletionRunsEvenWhenOneThrowsAndTheFirstThrowIsReported() {
    GroupCommitter<String> gc = committer(16, 100, 1_000, items -> { });
    Outcome before = new Outcome();
    Outcome after = new Outcome();
    gc.submit("a", before);
    gc.submit("b", f -> {
      throw new IllegalArgumentException("bad callback");
    });
    gc.submit("c", after);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, gc::flush);
    assertEquals("bad callback", e.getMessage());
    assertEquals(1, before.calls.get());
    assertEquals(1, after.calls.get());
    assertEquals(0, gc.flush(), "the batch was fully consumed");
  }

  @Test
  void producersKeepSubmittingWhileAFlushRunsAndTheNextFlushTakesThem() throws Exception {
    CountDownLatch inFlush = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingFlusher recorder = new RecordingFlusher();
    GroupCommitter<String> gc = committer(64, 100, 1_000, items -> {
      recorder.flush(items);
      if (recorder.flushes.size() == 1) {
        inFlush.countDown();
        assertTrue(release.await(30, TimeUnit.SECONDS), "test did not release the first flush");
      }
    });
    gc.submit("first", f -> { });
    AtomicReference<Throwable> flusherError = new AtomicReference<>();
    Thread flusherThread = new Thread(() -> {
      try {
        gc.flush();
      } catch (Throwable t) {
        flusherError.set(t);
      }
    });
    flusherThread.start();
    assertTrue(inFlush.await(30, TimeUnit.SECONDS));
    assertTrue(gc.submit("second", f -> { }), "submit does not wait for the running flush");
    assertTrue(gc.submit("third", f -> { }));
    assertThrows(IllegalStateException.class, gc::flush, "flushes must not overlap");
    release.countDown();
    flusherThread.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(flusherThread.isAlive());
    assertNull(flusherError.get());
    assertEquals(2, gc.flush());
    assertEquals(List.of(List.of("first"), List.of("second", "third")), recorder.flushes);
  }

  @Test
  void closeFailsPendingItemsAndRefusesNewOnes() {
    RecordingFlusher flusher = new RecordingFlusher();
    GroupCommitter<String> gc = committer(16, 100, 1_000, flusher);
    Outcome pending = new Outcome();
    gc.submit("a", pending);
    IllegalStateException reason = new IllegalStateException("writer closed");
    gc.close(reason);
    assertSame(reason, pending.failure);
    assertThrows(IllegalStateException.class, () -> gc.submit("b", f -> { }));
    assertEquals(0, gc.flush());
    assertTrue(flusher.flushes.isEmpty());
  }

  @Test
  void concurrentProducersAreEachFlushedOnceInTheirOwnOrder() throws Exception {
    int producers = 4;
    int perProducer = 20_000;
    List<String> flushed = new CopyOnWriteArrayList<>();
    AtomicInteger flushes = new AtomicInteger();
    GroupCommitter<String> gc = committer(1024, 256, 1 << 20, items -> {
      flushes.incrementAndGet();
      flushed.addAll(items);
    });
    AtomicReferenceArray<Integer> completions = new AtomicReferenceArray<>(producers * perProducer);
    CountDownLatch allDone = new CountDownLatch(producers * perProducer);
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (FlushLoop loop = FlushLoop.start("test-flusher", gc::flush, FlushLoop.defaultIdleStrategy(), errors::add)) {
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        Thread t = new Thread(() -> {
          for (int i = 0; i < perProducer; i++) {
            int slot = producer * perProducer + i;
            String item = producer + ":" + i;
            Completion c = failure -> {
              if (failure != null) {
                errors.add(failure);
              }
              Integer before = completions.getAndAccumulate(slot, 1, (old, one) -> old == null ? 1 : old + 1);
              if (before == null) {
                allDone.countDown();
              }
            };
            while (!gc.submit(item, c)) {
              Thread.onSpinWait(); // overloaded: back off until the flusher drains (bounded by the deadline below)
            }
          }
        });
        threads.add(t);
        t.start();
      }
      assertTrue(allDone.await(60, TimeUnit.SECONDS), "not every item completed within the deadline");
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
    assertTrue(errors.isEmpty(), () -> "errors: " + errors);
    for (int i = 0; i < producers * perProducer; i++) {
      assertEquals(1, completions.get(i), "item completed more than once: " + i);
    }
    assertEquals(producers * perProducer, flushed.size());
    int[] next = new int[producers];
    for (String s : flushed) {
      int colon = s.indexOf(':');
      int producer = Integer.parseInt(s.substring(0, colon));
      int seq = Integer.parseInt(s.substring(colon + 1));
      assertEquals(next[producer], seq, "producer " + producer + " flushed out of order");
      next[producer]++;
    }
    assertTrue(flushes.get() <= producers * perProducer);
  }
}
