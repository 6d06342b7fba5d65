package io.multiraft.rangestore;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (tests never sleep to synchronise). */
public final class Await {
  private static final long DEADLINE_NS = 30_000_000_000L;

  private Await() {}

  /** Returns once {@code cond} holds; fails naming {@code what} after 30 s. */
  public static void await(String what, BooleanSupplier cond) {
    long deadline = System.nanoTime() + DEADLINE_NS;
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(5_000_000);
    }
  }
}
