package io.multiraft.rangestore.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.Range;
import org.rocksdb.RocksDBException;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the disk space of deleted log ranges. A DeleteRange only writes a tombstone; the files
 * holding the deleted entries shrink when compaction passes over that key range, and a group that
 * stopped writing may never see one (Dragonboat #372). So every compacted or removed range is
 * remembered here and, off the raft threads, compacted with {@code compactRange} once RocksDB
 * estimates enough bytes in it: on its own when large, gathered with others when small.
 *
 * <p>{@code deleteFilesInRanges} is not used: it can drop a file holding a range tombstone while
 * older versions of the covered keys survive in other files, which would bring deleted entries
 * back (and a removed group's stale tail could then look like a live log on recovery).
 */
final class SpaceReclaimer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpaceReclaimer.class);

  private final LogDb db;
  private final long minBytes;
  private final long intervalNs;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Deleted ranges by group: [group's first key, end), merged to the largest end. Guarded by lock. */
  private final TreeMap<Long, byte[]> pending = new TreeMap<>();
  private final CompactRangeOptions compactOptions;
  private boolean closed;
  private Thread thread;

  private final AtomicLong compactions = new AtomicLong();
  private final AtomicLong passes = new AtomicLong();

  SpaceReclaimer(LogDb db, long minBytes, long intervalMillis) {
    this.db = db;
    this.minBytes = minBytes;
    this.intervalNs = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.compactOptions = new CompactRangeOptions()
        // the bottommost level must be rewritten too, or entries living there are never dropped
        .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForceOptimized)
        // let RocksDB's own compactions run meanwhile: the log writer must not stall behind us
        .setExclusiveManualCompaction(false);
  }

  /** Records that a group's log keys below {@code end} were deleted. */
  void deleted(long groupId, byte[] end) {
    lock.lock();
    try {
      byte[] known = pending.get(groupId);
      if (known == null || Arrays.compareUnsigned(end, known) > 0) {
        pending.put(groupId, end);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int pendingRanges() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  long compactions() {
    return compactions.get();
  }

  /**
   * One pass: compacts the pending ranges that hold enough bytes, and the small ones together once
   * they add up; small ones that do not stay pending. Returns the number of compactRange calls.
   */
  int reclaim() throws RocksDBException {
    List<Long> groups = new ArrayList<>();
    List<byte[]> ends = new ArrayList<>();
    lock.lock();
    try {
      for (Map.Entry<Long, byte[]> e : pending.entrySet()) {
        groups.add(e.getKey());
        ends.add(e.getValue());
      }
      pending.clear();
    } finally {
      lock.unlock();
    }
    if (groups.isEmpty()) {
      return 0;
    }
    passes.incrementAndGet();
    long[] sizes = approximateSizes(groups, ends);
    int calls = 0;
    long smallBytes = 0;
    List<Integer> small = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      if (sizes[i] >= minBytes && sizes[i] > 0) {
        compact(LogKeys.logStart(groups.get(i)), ends.get(i));
        calls++;
      } else if (sizes[i] > 0) {
        smallBytes += sizes[i];
        small.add(i);
      }
    }
    if (!small.isEmpty() && smallBytes >= minBytes) {
      // one compaction over the span of all small ranges: it also rewrites the live tails between
      // them, which are short (the compaction margin) compared with what is freed
      int a = small.get(0);
      int b = small.get(small.size() - 1);
      compact(LogKeys.logStart(groups.get(a)), ends.get(b));
      calls++;
    } else if (!small.isEmpty()) {
      lock.lock();
      try {
        for (int i : small) {
          byte[] known = pending.get(groups.get(i));
          if (known == null || Arrays.compareUnsigned(ends.get(i), known) > 0) {
            pending.put(groups.get(i), ends.get(i));
          }
        }
      } finally {
        lock.unlock();
      }
    }
    return calls;
  }

  private long[] approximateSizes(List<Long> groups, List<byte[]> ends) {
    List<Slice> slices = new ArrayList<>();
    List<Range> ranges = new ArrayList<>();
    try {
      for (int i = 0; i < groups.size(); i++) {
        Slice s = new Slice(LogKeys.logStart(groups.get(i)));
        Slice e = new Slice(ends.get(i));
        slices.add(s);
        slices.add(e);
        ranges.add(new Range(s, e));
      }
      return db.db.getApproximateSizes(db.logCf, ranges, SizeApproximationFlag.INCLUDE_FILES);
    } finally {
      for (Slice s : slices) {
        s.close();
      }
    }
  }

  private void compact(byte[] start, byte[] end) throws RocksDBException {
    db.db.compactRange(db.logCf, start, end, compactOptions);
    compactions.incrementAndGet();
  }

  /** Runs passes on a daemon thread: at most one per interval, none while nothing is pending. */
  void start() {
    thread = new Thread(this::run, "raft-log-reclaimer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (true) {
      lock.lock();
      try {
        while (!closed && pending.isEmpty()) {
          changed.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
      } finally {
        lock.unlock();
      }
      try {
        reclaim();
      } catch (RocksDBException | RuntimeException e) {
        LOG.warn("reclaiming space of deleted log ranges in {} failed; retried on the next pass", db.path, e);
      }
      lock.lock();
      try {
        long waitNs = intervalNs;
        while (!closed && waitNs > 0) {
          waitNs = changed.awaitNanos(waitNs);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Stops the thread, cancelling a compaction in progress, and waits for it. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (thread != null) {
      compactOptions.setCanceled(true);
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    compactOptions.close();
  }

  /** For tests: the pending ranges' groups. */
  List<Long> pendingGroups() {
    lock.lock();
    try {
      return new ArrayList<>(pending.keySet());
    } finally {
      lock.unlock();
    }
  }
}
