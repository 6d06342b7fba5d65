package io.multiraft.transport;

import java.util.concurrent.atomic.AtomicInteger;

/** How many snapshots this node sends at once (lesson 9). */
final class SnapshotSendLimit {
  private final int max;
  private final AtomicInteger active = new AtomicInteger();

  SnapshotSendLimit(int max) {
    this.max = max;
  }

  boolean tryAcquire() {
    while (true) {
      int n = active.get();
      if (n >= max) {
        return false;
      }
      if (active.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    active.decrementAndGet();
  }

  int active() {
    return active.get();
  }
}
