package io.multiraft.transport;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults between given nodes, for tests: drop, delay, partition, and cutting a snapshot transfer
 * part way. One instance is shared by the transports of a test cluster; {@link #NONE} (the
 * default) has no rules and costs one volatile read per send.
 *
 * <p>Faults act where a message enters the sender's transport, as a lossy network would. A
 * partition also closes the connections between the two nodes and refuses new ones, so both sides
 * report each other unreachable, as with a real cut.
 */
public final class FaultInjector {
  /** No faults, ever: the default of every transport. */
  public static final FaultInjector NONE = new FaultInjector(0, false);

  private record Link(long from, long to) {}

  private final boolean mutable;
  private final SplittableRandom random;
  private volatile boolean active;
  private final Set<Link> partitioned = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Link, Double> dropRates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Link, Long> delaysNs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Link, AtomicLong> snapshotCuts = new ConcurrentHashMap<>();
  private final java.util.Set<Link> snapshotCorruptions = ConcurrentHashMap.newKeySet();
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** @param seed makes random drops reproducible */
  public FaultInjector(long seed) {
    this(seed, true);
  }

  private FaultInjector(long seed, boolean mutable) {
    this.mutable = mutable;
    this.random = new SplittableRandom(seed);
  }

  /** Cuts both directions between {@code a} and {@code b} until {@link #heal}. */
  public void partition(long a, long b) {
    change(() -> {
      partitioned.add(new Link(a, b));
      partitioned.add(new Link(b, a));
    });
  }

  /** Cuts {@code node} from every other node. */
  public void isolate(long node, Iterable<Long> others) {
    change(() -> {
      for (long o : others) {
        if (o != node) {
          partitioned.add(new Link(node, o));
          partitioned.add(new Link(o, node));
        }
      }
    });
  }

  public void heal(long a, long b) {
    change(() -> {
      partitioned.remove(new Link(a, b));
      partitioned.remove(new Link(b, a));
    });
  }

  /** Drops each message from {@code from} to {@code to} with this probability (0 removes the rule). */
  public void drop(long from, long to, double probability) {
    change(() -> {
      if (probability <= 0) {
        dropRates.remove(new Link(from, to));
      } else {
        dropRates.put(new Link(from, to), probability);
      }
    });
  }

  /** Delays every send from {@code from} to {@code to} (0 removes the rule). */
  public void delay(long from, long to, long delayMs) {
    change(() -> {
      if (delayMs <= 0) {
        delaysNs.remove(new Link(from, to));
      } else {
        delaysNs.put(new Link(from, to), delayMs * 1_000_000L);
      }
    });
  }

  /** Once: the next snapshot transfer from {@code from} to {@code to} loses its connection after this many data bytes. */
  public void cutNextSnapshotAfter(long from, long to, long bytes) {
    change(() -> snapshotCuts.put(new Link(from, to), new AtomicLong(bytes)));
  }

  /** Once: the next snapshot transfer from {@code from} to {@code to} corrupts its first chunk's data on the wire. */
  public void corruptNextSnapshotChunk(long from, long to) {
    change(() -> snapshotCorruptions.add(new Link(from, to)));
  }

  /** Removes every rule. */
  public void clear() {
    change(() -> {
      partitioned.clear();
      dropRates.clear();
      delaysNs.clear();
      snapshotCuts.clear();
      snapshotCorruptions.clear();
    });
  }

  // ---------------------------------------------------------------- for the transport

  boolean active() {
    return active;
  }

  boolean partitioned(long from, long to) {
    return active && partitioned.contains(new Link(from, to));
  }

  boolean shouldDrop(long from, long to) {
    if (!active) {
      return false;
    }
    Double p = dropRates.get(new Link(from, to));
    if (p == null) {
      return false;
    }
    synchronized (random) {
      return random.nextDouble() < p;
    }
  }

  long delayNs(long from, long to) {
    if (!active) {
      return 0;
    }
    Long d = delaysNs.get(new Link(from, to));
    return d == null ? 0 : d;
  }

  /** The cut point of the next snapshot transfer on this link, consumed; -1 if none. */
  long takeSnapshotCut(long from, long to) {
    if (!active) {
      return -1;
    }
    AtomicLong cut = snapshotCuts.remove(new Link(from, to));
    return cut == null ? -1 : cut.get();
  }

  /** Whether the next snapshot transfer on this link corrupts a chunk, consumed. */
  boolean takeSnapshotCorruption(long from, long to) {
    return active && snapshotCorruptions.remove(new Link(from, to));
  }

  /** Called after every change, so transports can close connections a new partition cuts. */
  void onChange(Runnable listener) {
    if (mutable) {
      listeners.add(listener);
    }
  }

  void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  private void change(Runnable r) {
    if (!mutable) {
      throw new IllegalStateException("FaultInjector.NONE takes no rules: create a FaultInjector for the test");
    }
    r.run();
    active = !partitioned.isEmpty() || !dropRates.isEmpty() || !delaysNs.isEmpty() || !snapshotCuts.isEmpty()
        || !snapshotCorruptions.isEmpty();
    for (Runnable l : listeners) {
      l.run();
    }
  }
}
