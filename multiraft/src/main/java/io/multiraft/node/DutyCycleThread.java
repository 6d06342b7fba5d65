package io.multiraft.node;

import io.multiraft.spi.Clock;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link DutyCycle} on its own thread. When idle it parks until the next deadline or until a
 * producer calls {@link #wake()}, so an idle node burns no CPU and a new request is seen at once.
 */
final class DutyCycleThread implements Runnable {
  private static final long MAX_PARK_NS = 100_000_000L;
  private static final int SPINS_BEFORE_PARK = 64;

  private final DutyCycle cycle;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean parked;
  private volatile Throwable failure;

  DutyCycleThread(DutyCycle cycle, Clock clock) {
    this.cycle = cycle;
    this.clock = clock;
    this.thread = new Thread(this, cycle.name());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Called by producers after they enqueued work. Cheap when the thread is busy. */
  void wake() {
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void run() {
    int idle = 0;
    try {
      while (running) {
        long now = clock.nanoTime();
        if (cycle.doWork(now) > 0) {
          idle = 0;
          continue;
        }
        if (++idle < SPINS_BEFORE_PARK) {
          Thread.onSpinWait();
          continue;
        }
        parked = true;
        // Re-check after publishing "parked": a producer that enqueued before seeing it unparks us
        // or its work is found by this doWork (the two volatile accesses order each other).
        if (cycle.doWork(clock.nanoTime()) > 0) {
          parked = false;
          idle = 0;
          continue;
        }
        LockSupport.parkNanos(Math.max(1, Math.min(MAX_PARK_NS, cycle.idleParkNs(clock.nanoTime()))));
        parked = false;
      }
    } catch (Throwable t) {
      failure = t;
      throw t;
    }
  }

  Throwable failure() {
    return failure;
  }

  /** Stops the loop and waits for it to end (lesson 22: ordered shutdown releases resources). */
  void stop() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
