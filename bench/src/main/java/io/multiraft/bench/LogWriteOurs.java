package io.multiraft.bench;

import io.multiraft.core.Entry;
import io.multiraft.node.LogWriter;
import io.multiraft.rangestore.log.LogStoreConfig;
import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.spi.LogBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Our side of {@code logwrite}: a {@link RocksLogStore} written through a started {@link LogWriter}
 * by writer threads standing for raft workers. Writer w owns the groups g with (g - 1) % W == w and
 * runs cycles: one entry for each of its next min(its groups, cycle) groups, round-robin, as one
 * batch. A group has at most one write in flight, as in the runtime, so a writer keeps at most
 * (its groups / cycle size) cycles outstanding. The writers run only while the rig is {@link #run
 * running}, so the bound can be measured in between on the same machine.
 */
final class LogWriteOurs implements AutoCloseable {
  private final RocksLogStore store;
  private final LogWriter writer;
  private final List<Thread> threads = new ArrayList<>();
  private final LongAdder entries = new LongAdder();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final byte[] data;
  private final int cycle;
  private volatile boolean running;
  private volatile boolean closed;
  /** Cycles submitted and not yet completed, over all writers. */
  private final LongAdder inFlight = new LongAdder();

  LogWriteOurs(Path dir, LogStoreConfig cfg, int groups, int writers, int cycle, int payload) {
    this.store = RocksLogStore.open(dir, cfg);
    this.writer = new LogWriter(store);
    this.writer.start();
    this.data = new byte[payload];
    this.cycle = cycle;
    int n = Math.min(writers, groups);
    for (int w = 0; w < n; w++) {
      long[] own = ownGroups(groups, n, w);
      Thread t = new Thread(() -> writerLoop(own), "logwrite-writer-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private static long[] ownGroups(int groups, int writers, int w) {
    int n = (groups - w + writers - 1) / writers;
    long[] own = new long[n];
    for (int i = 0; i < n; i++) {
      own[i] = 1L + w + (long) i * writers;
    }
    return own;
  }

  private void writerLoop(long[] own) {
    int size = Math.min(own.length, cycle);
    Semaphore slots = new Semaphore(Math.max(1, own.length / size));
    long[] next = new long[own.length];
    Arrays.fill(next, 1);
    int at = 0;
    try {
      while (!closed) {
        if (!running) {
          awaitRunning(); // paused while the bound is measured: block, stay out of its way
          continue;
        }
        if (!slots.tryAcquire(10, TimeUnit.MILLISECONDS)) {
          continue;
        }
        LogBatch b = store.newBatch();
        for (int k = 0; k < size; k++) {
          b.append(own[at], List.of(Entry.normal(1, next[at]++, data)));
          at = at + 1 == own.length ? 0 : at + 1;
        }
        inFlight.increment();
        while (!writer.submit(b, err -> {
          if (err != null) {
            failure.compareAndSet(null, err);
          } else {
            entries.add(size);
          }
          inFlight.decrement();
          slots.release();
        })) {
          Thread.onSpinWait(); // the writer is full: wait for it to drain
        }
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  private final Object gate = new Object();

  private void awaitRunning() throws InterruptedException {
    synchronized (gate) {
      while (!running && !closed) {
        gate.wait();
      }
    }
  }

  private void setRunning(boolean run) {
    synchronized (gate) {
      running = run;
      gate.notifyAll();
    }
  }

  /** Lets the writers run for {@code nanos}; returns entries and syncs completed within that time. */
  LogWriteScenario.Rate run(long nanos) throws InterruptedException {
    long e0 = entries.sum();
    long s0 = writer.flushes();
    long t0 = System.nanoTime();
    setRunning(true);
    long end = t0 + nanos;
    while (System.nanoTime() < end) {
      checkFailure();
      Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
    }
    long e1 = entries.sum();
    long s1 = writer.flushes();
    double seconds = (System.nanoTime() - t0) / 1e9;
    setRunning(false);
    // drain what is in flight, untimed, so the next slice (maybe the bound's) starts quiet
    long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (inFlight.sum() > 0 && System.nanoTime() < drainEnd) {
      Thread.sleep(1);
    }
    checkFailure();
    return new LogWriteScenario.Rate(e1 - e0, s1 - s0, seconds);
  }

  private void checkFailure() {
    Throwable f = failure.get();
    if (f != null) {
      throw new IllegalStateException("a writer failed: " + f, f);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    setRunning(false);
    for (Thread t : threads) {
      t.join(30_000);
    }
    writer.close();
    store.close();
  }
}
