package io.multiraft.rangestore.split;

import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.spi.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The automatic split trigger of one node. Each {@link #check()} looks at the ranges this node
 * leads (only the leader splits, so replicas do not race each other), estimates each one's size
 * and write rate, and splits a range above a threshold at its middle key. One check covers every
 * range and one timer drives it for the whole node: ranges cost nothing between checks.
 *
 * <p>The write rate is the growth of the range's applied index between two checks, divided by the
 * time between them on the injected {@link Clock}; the first check of a range only takes a sample.
 * {@link #check()} runs on one thread at a time (the timer's); split results arrive on others.
 */
public final class AutoSplitter implements AutoCloseable {
  /** What the splitter needs of the store; a test gives a fake. */
  public interface Ranges {
    /** Descriptors of the ranges this node believes it leads. */
    List<RangeDescriptor> ledHere();

    /** The range's applied index on this node, or -1 if unknown. */
    long appliedIndex(long rangeId);

    long approximateBytes(RangeDescriptor d);

    /** A key strictly inside the range that halves its bytes, or null if it cannot be split. */
    byte[] middleKey(RangeDescriptor d);

    CompletableFuture<?> split(RangeDescriptor d, byte[] key);
  }

  private record Sample(long generation, long nanos, long applied) {}

  private final AutoSplitConfig cfg;
  private final Clock clock;
  private final Ranges ranges;
  private final Map<Long, Sample> samples = new HashMap<>();
  /** Ranges with a split in flight: not split again until it completes. */
  private final Set<Long> splitting = ConcurrentHashMap.newKeySet();
  /** Splits started, and those that failed (lost leadership, a concurrent split, ...). */
  public final LongAdder splitsStarted = new LongAdder();
  public final LongAdder splitsFailed = new LongAdder();
  private ScheduledFuture<?> timer;

  public AutoSplitter(AutoSplitConfig cfg, Clock clock, Ranges ranges) {
    this.cfg = cfg;
    this.clock = clock;
    this.ranges = ranges;
  }

  /** Runs {@link #check()} every configured interval on {@code timerThread} (one per node). */
  public synchronized void start(ScheduledExecutorService timerThread) {
    if (timer == null && cfg.enabled()) {
      timer = timerThread.scheduleWithFixedDelay(this::checkQuietly, cfg.checkIntervalMs(), cfg.checkIntervalMs(),
          TimeUnit.MILLISECONDS);
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      // a store closing under the check, or RocksDB failing: the next check tries again; the timer must not die
      splitsFailed.increment();
    }
  }

  /** One pass over the ranges led here; returns how many splits it started. */
  public int check() {
    long now = clock.nanoTime();
    int started = 0;
    Set<Long> seen = new HashSet<>();
    for (RangeDescriptor d : ranges.ledHere()) {
      long id = d.rangeId();
      seen.add(id);
      if (splitting.contains(id)) {
        continue;
      }
      String reason = reason(d, now);
      if (reason != null && split(d)) {
        started++;
      }
    }
    samples.keySet().retainAll(seen); // ranges no longer led here (or gone) keep no sample
    return started;
  }

  /** Why {@code d} should be split now, or null; takes the write-rate sample as it goes. */
  private String reason(RangeDescriptor d, long now) {
    long applied = ranges.appliedIndex(d.rangeId());
    Sample prev = samples.put(d.rangeId(), new Sample(d.generation(), now, applied));
    if (cfg.maxWritesPerSecond() > 0 && prev != null && prev.generation() == d.generation() && applied >= 0
        && prev.applied() >= 0 && now > prev.nanos()) {
      double perSecond = (applied - prev.applied()) * 1e9 / (now - prev.nanos());
      if (perSecond > cfg.maxWritesPerSecond()) {
        return "writes";
      }
    }
    if (cfg.maxRangeBytes() > 0 && ranges.approximateBytes(d) > cfg.maxRangeBytes()) {
      return "size";
    }
    return null;
  }

  private boolean split(RangeDescriptor d) {
    byte[] key = ranges.middleKey(d);
    if (key == null) {
      return false; // a single huge key cannot be split
    }
    long id = d.rangeId();
    splitting.add(id);
    samples.remove(id); // the range's rate restarts after the split
    splitsStarted.increment();
    CompletableFuture<?> f;
    try {
      f = ranges.split(d, key);
    } catch (RuntimeException e) {
      splitting.remove(id);
      splitsFailed.increment();
      return false;
    }
    f.whenComplete((r, e) -> {
      if (e != null) {
        splitsFailed.increment();
      }
      splitting.remove(id);
    });
    return true;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
