package io.multiraft.node;

import io.multiraft.batching.BatchLimits;
import io.multiraft.batching.Completion;
import io.multiraft.batching.FlushLoop;
import io.multiraft.batching.GroupCommitter;
import io.multiraft.spi.Clock;
import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStore;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of the raft workers' log batches: every batch submitted while the previous write was
 * syncing goes into the next single {@link LogStore#write} with {@code sync = true}, so one fsync
 * covers many groups and many workers. Each batch gets its own completion, called after that write
 * on the flushing thread.
 *
 * <p>Who flushes: {@link #flush()} driven by the caller (the deterministic simulator, or the node's
 * own writer thread woken through {@link #onSubmit}), or the thread of {@link #start()}. Never both.
 */
public final class LogWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

  /**
   * @param queueCapacity batches waiting before {@link #submit} reports overload
   * @param maxBatchesPerFlush most batches one write carries
   * @param maxBytesPerFlush most bytes one write carries (at least one batch goes, whatever its size)
   */
  public record Config(int queueCapacity, int maxBatchesPerFlush, long maxBytesPerFlush) {
    /**
     * A write's size is bounded (1,024 batches, 16 MB) so one slow write cannot hold a whole node's
     * backlog and its memory; the queue holds about four writes' worth of batches before pushing back.
     */
    public static Config defaults() {
      return new Config(4096, 1024, 16L << 20);
    }
  }

  /**
   * A write this slow is logged and counted: it holds back every group that waits on it (commits,
   * acknowledgements, applies), and one that outlasts an election timeout is the first thing to
   * look at when leadership moves without a failure. etcd warns at one second; we tick faster.
   */
  static final long SLOW_WRITE_NS = 300_000_000L;
  /** At most one warning in this time; the counter counts all of them. */
  private static final long WARN_EVERY_NS = 10_000_000_000L;

  private final LogStore store;
  private final Clock clock;
  private final GroupCommitter<LogBatch> committer;
  private volatile Runnable onSubmit = () -> { };
  private volatile FlushLoop loop;

  // written by the flushing thread only; atomics so that monitoring threads read current values
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong failedFlushes = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong slowWrites = new AtomicLong();
  private volatile long longestWriteNs;
  private long lastWarnNs = Long.MIN_VALUE;

  public LogWriter(LogStore store) {
    this(store, Config.defaults(), Clock.SYSTEM);
  }

  public LogWriter(LogStore store, Config config) {
    this(store, config, Clock.SYSTEM);
  }

  public LogWriter(LogStore store, Config config, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.committer = new GroupCommitter<>(config.queueCapacity(),
        BatchLimits.of(config.maxBatchesPerFlush(), config.maxBytesPerFlush()), LogBatch::bytes, this::write);
  }

  private void write(List<LogBatch> pending) {
    long start = clock.nanoTime();
    try {
      store.write(pending, true);
    } catch (RuntimeException e) {
      failedFlushes.incrementAndGet();
      throw e;
    }
    long end = clock.nanoTime();
    if (end - start >= SLOW_WRITE_NS) {
      slow(end - start, end, pending.size());
    }
    long n = 0;
    long b = 0;
    for (int i = 0; i < pending.size(); i++) {
      n += pending.get(i).entryCount();
      b += pending.get(i).bytes();
    }
    flushes.incrementAndGet();
    batches.addAndGet(pending.size());
    entries.addAndGet(n);
    bytes.addAndGet(b);
  }

  private void slow(long tookNs, long nowNs, int batchCount) {
    slowWrites.incrementAndGet();
    longestWriteNs = Math.max(longestWriteNs, tookNs);
    if (lastWarnNs == Long.MIN_VALUE || nowNs - lastWarnNs >= WARN_EVERY_NS) {
      lastWarnNs = nowNs;
      LOG.warn("slow log write: {} ms for {} batches ({} slow writes so far, longest {} ms): every group in it waited",
          tookNs / 1_000_000, batchCount, slowWrites.get(), longestWriteNs / 1_000_000);
    }
  }

  /**
   * Queues a batch for the next write. {@code completion} gets null once the batch is durable, or
   * the exception of the write that carried it. Never blocks.
   *
   * @return false when the writer is overloaded: the batch was not taken, try again later
   * @throws IllegalStateException after {@link #close()}
   */
  public boolean submit(LogBatch batch, Completion completion) {
    if (!committer.submit(batch, completion)) {
      return false;
    }
    FlushLoop l = loop;
    if (l != null) {
      l.wake();
    }
    onSubmit.run();
    return true;
  }

  /**
   * Called after every accepted submit, on the submitting thread: a cheap wake-up of the caller's
   * own flushing thread (the thread of {@link #start()} is woken without it).
   */
  public void onSubmit(Runnable wake) {
    this.onSubmit = Objects.requireNonNull(wake, "wake");
  }

  /** Writes what is pending (up to the limits) with one synced write; returns the batches written. */
  public int flush() {
    return committer.flush();
  }

  /** Starts a thread that flushes whenever something is pending. */
  public void start() {
    start(FlushLoop.defaultIdleStrategy());
  }

  public synchronized void start(IdleStrategy idle) {
    if (loop != null) {
      throw new IllegalStateException("log writer already started");
    }
    loop = FlushLoop.start("raft-log-writer", committer::flush, idle,
        t -> LOG.error("log writer: a flush failed; its batches were completed with the error", t));
  }

  /**
   * Stops the flush thread (if started), writes what was already submitted, and fails later
   * submissions. The store stays open: it belongs to the caller.
   */
  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.close();
      loop = null;
    }
    if (!committer.isClosed()) {
      while (committer.pending() > 0) {
        try {
          committer.flush();
        } catch (RuntimeException e) {
          LOG.error("log writer: a completion failed while closing; the remaining batches are still written", e);
        }
      }
      committer.close(new IllegalStateException("log writer closed"));
    }
  }

  /** Pending batches, approximately. */
  public int pending() {
    return committer.pending();
  }

  /** Successful writes, each one sync. */
  public long flushes() {
    return flushes.get();
  }

  /** Writes that threw; their batches were failed. */
  public long failedFlushes() {
    return failedFlushes.get();
  }

  /** Batches made durable. */
  public long batches() {
    return batches.get();
  }

  /** Entries made durable. */
  public long entries() {
    return entries.get();
  }

  /** Writes that took {@link #SLOW_WRITE_NS} or longer. */
  public long slowWrites() {
    return slowWrites.get();
  }

  /** The longest write of those counted by {@link #slowWrites()}, or 0. */
  public long longestSlowWriteNs() {
    return longestWriteNs;
  }

  /** Bytes made durable, as {@link LogBatch#bytes()} counts them. */
  public long bytes() {
    return bytes.get();
  }
}
