package io.multiraft.bench.xjvm;

import io.multiraft.core.Entry;
import io.multiraft.spi.StateMachine;

/** A state machine that only counts, so a benchmark measures replication, not the application. */
public final class NullStateMachine implements StateMachine {
  private long applied;

  @Override
  public Object apply(Entry entry) {
    return ++applied;
  }

  @Override
  public byte[] snapshot() {
    return new byte[8];
  }

  @Override
  public void restore(byte[] data) {}
}
