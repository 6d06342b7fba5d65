package io.multiraft.node;

import io.multiraft.core.Entry;
import io.multiraft.spi.StateMachine;
import java.nio.ByteBuffer;

/** Counts applied commands and folds their bytes into a hash, so replicas can be compared. */
final class CountingStateMachine implements StateMachine {
  volatile long count;
  volatile long hash;
  volatile int restores;
  private final java.util.concurrent.CountDownLatch gate;

  CountingStateMachine() {
    this(null);
  }

  /** With a gate, every apply waits for it to open: a slow state machine. */
  CountingStateMachine(java.util.concurrent.CountDownLatch gate) {
    this.gate = gate;
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
    long h = hash;
    for (byte b : entry.data()) {
      h = h * 31 + b;
    }
    hash = h * 17 + entry.index();
    return count;
  }

  @Override
  public byte[] snapshot() {
    return ByteBuffer.allocate(16).putLong(count).putLong(hash).array();
  }

  @Override
  public void restore(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    count = b.getLong();
    hash = b.getLong();
    restores++;
  }
}
