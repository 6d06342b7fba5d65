package io.multiraft.transport;

import java.util.SplittableRandom;

/**
 * Reconnect delays: doubling from the minimum to the maximum, each drawn from its upper half so
 * that nodes restarted together do not reconnect in lockstep. Not thread-safe (one per link).
 */
final class Backoff {
  private final long minMs;
  private final long maxMs;
  private final SplittableRandom random;
  private int attempts;

  Backoff(long minMs, long maxMs, long seed) {
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.random = new SplittableRandom(seed);
  }

  long nextDelayMs() {
    long ceiling = Math.min(maxMs, minMs << Math.min(attempts, 20));
    attempts++;
    long half = ceiling / 2;
    return half + random.nextLong(ceiling - half + 1);
  }

  void reset() {
    attempts = 0;
  }
}
