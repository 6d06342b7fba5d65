package io.multiraft.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FlushLoopTest {

  @Test
  void anExceptionGoesToTheHandlerAndTheLoopKeepsCalling() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch afterFailure = new CountDownLatch(1);
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (FlushLoop loop = FlushLoop.start("test-loop", () -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        throw new IllegalStateException("first call fails");
      }
      afterFailure.countDown();
      return 0;
    }, FlushLoop.defaultIdleStrategy(), errors::add)) {
      assertTrue(afterFailure.await(30, TimeUnit.SECONDS));
    }
    assertEquals(1, errors.size());
    assertEquals("first call fails", errors.get(0).getMessage());
  }

  @Test
  void wakeEndsALongIdleParkAtOnce() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch idled = new CountDownLatch(1);
    CountDownLatch flushed = new CountDownLatch(1);
    // parks for up to an hour when idle: only wake() can make the loop see the new work in time
    org.agrona.concurrent.IdleStrategy hourLong = new org.agrona.concurrent.BackoffIdleStrategy(0, 0, 3_600_000_000_000L, 3_600_000_000_000L);
    try (FlushLoop loop = FlushLoop.start("test-loop", () -> {
      if (pending.getAndSet(false)) {
        flushed.countDown();
        return 1;
      }
      idled.countDown();
      return 0;
    }, hourLong, t -> { })) {
      assertTrue(idled.await(30, TimeUnit.SECONDS));
      pending.set(true);
      loop.wake();
      assertTrue(flushed.await(30, TimeUnit.SECONDS), "woken well before the hour-long park ends");
      long closing = System.nanoTime();
      loop.close();
      assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(4),
          "close ends the park instead of waiting for agrona's 5 s close timeout");
    }
  }

  @Test
  void afterCloseTheWorkIsNoLongerCalled() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    FlushLoop loop = FlushLoop.start("test-loop", () -> {
      calls.incrementAndGet();
      started.countDown();
      return 0;
    }, FlushLoop.defaultIdleStrategy(), t -> { });
    assertTrue(started.await(30, TimeUnit.SECONDS));
    loop.close();
    int atClose = calls.get();
    // close() joined the thread: no call can be in progress or start later
    assertEquals(atClose, calls.get());
  }
}
