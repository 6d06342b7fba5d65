package io.multiraft.node;

import io.multiraft.core.Entry;
import io.multiraft.spi.StateMachine;
import java.nio.ByteBuffer;

/**
 * Counts applied commands and folds their bytes into a hash, so replicas can be compared. With a
 * {@link Disk} it is durable at once: the count, hash, applied index and membership survive a
 * simulated crash, as in a store that writes them in one synced batch.
 */
final class CountingStateMachine implements StateMachine {
  volatile long count;
  volatile long hash;
  volatile int restores;
  /** The count the last restored snapshot carried. */
  volatile long restoredCount;
  /** The index of the last applied {@link #RAISE_FLOOR} entry: see {@link #snapshotFloor()}. */
  volatile long floor;
  /** A command whose replay from an older snapshot is not allowed (as a range merge's is not). */
  static final byte[] RAISE_FLOOR = {'f', 'l', 'o', 'o', 'r'};
  private final java.util.concurrent.CountDownLatch gate;
  private final Disk disk;

  /** What a durable instance keeps across crashes, and the crash points a test can plant. */
  static final class Disk {
    volatile long count;
    volatile long hash;
    volatile long appliedIndex;
    volatile long appliedTerm;
    volatile io.multiraft.core.ConfState conf;
    /** The next restore "crashes" before it changes anything. */
    volatile boolean crashBeforeRestore;
    /** The next restore "crashes" right after the restored state is durable. */
    volatile boolean crashAfterRestore;
    /** The next restore throws, as a state machine that refuses a snapshot does. */
    volatile boolean refuseRestore;
  }

  /**
   * Thrown where a test crashes the node; the test then discards the node and restarts it. An
   * Error: the runtime survives a state machine's exceptions, but a crash must stop everything.
   */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
      super(where);
    }
  }

  CountingStateMachine() {
    this(null);
  }

  /** With a gate, every apply waits for it to open: a slow state machine. */
  CountingStateMachine(java.util.concurrent.CountDownLatch gate) {
    this(gate, null);
  }

  CountingStateMachine(java.util.concurrent.CountDownLatch gate, Disk disk) {
    this.gate = gate;
    this.disk = disk;
    if (disk != null) {
      count = disk.count;
      hash = disk.hash;
    }
  }

  @Override
  public long lastApplied() {
    return disk == null ? 0 : disk.appliedIndex;
  }

  @Override
  public long lastAppliedTerm() {
    return disk == null ? 0 : disk.appliedTerm;
  }

  @Override
  public void applyConfChange(long index, long term, io.multiraft.core.ConfState conf) {
    if (disk != null) {
      disk.conf = conf;
      if (index >= disk.appliedIndex) {
        disk.appliedIndex = index;
        disk.appliedTerm = term;
      }
    }
  }

  @Override
  public io.multiraft.core.ConfState appliedConfState() {
    return disk == null ? null : disk.conf;
  }

  private void save(long appliedIndex, long appliedTerm) {
    if (disk != null) {
      disk.count = count;
      disk.hash = hash;
      disk.appliedIndex = appliedIndex;
      disk.appliedTerm = appliedTerm;
    }
  }

  @Override
  public Object apply(Entry entry) {
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    count++;
    if (java.util.Arrays.equals(entry.data(), RAISE_FLOOR)) {
      floor = entry.index();
    }
    long h = hash;
    for (byte b : entry.data()) {
      h = h * 31 + b;
    }
    hash = h * 17 + entry.index();
    save(entry.index(), entry.term());
    return count;
  }

  @Override
  public long snapshotFloor() {
    return floor;
  }

  @Override
  public byte[] snapshot() {
    return ByteBuffer.allocate(24).putLong(count).putLong(hash).putLong(disk == null ? 0 : disk.appliedIndex).array();
  }

  @Override
  public void restore(byte[] data) {
    if (disk != null && disk.crashBeforeRestore) {
      disk.crashBeforeRestore = false;
      throw new SimulatedCrash("before restoring a snapshot");
    }
    if (disk != null && disk.refuseRestore) {
      disk.refuseRestore = false;
      throw new IllegalStateException("this state machine refuses the snapshot");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    count = b.getLong();
    restoredCount = count;
    hash = b.getLong();
    save(b.getLong(), 0); // the snapshot's term is not in its bytes: unknown
    restores++;
    if (disk != null && disk.crashAfterRestore) {
      disk.crashAfterRestore = false;
      throw new SimulatedCrash("after restoring a snapshot");
    }
  }
}
