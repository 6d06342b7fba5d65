package io.multiraft.transport;

import io.multiraft.core.Entry;
import io.multiraft.spi.StateMachine;
import java.nio.ByteBuffer;

/** Counts applied commands and folds them into a hash, so replicas can be compared. */
final class HashingStateMachine implements StateMachine {
  volatile long count;
  volatile long hash;
  volatile int restores;

  @Override
  public Object apply(Entry entry) {
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
