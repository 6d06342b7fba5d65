package io.multiraft.transport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (never for a fixed time). */
final class Await {
  private Await() {}

  static void until(String what, BooleanSupplier condition, long timeoutMs) {
    until(() -> what, condition, timeoutMs);
  }

  static void until(Supplier<String> what, BooleanSupplier condition, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what.get());
      }
      LockSupport.parkNanos(200_000);
    }
  }
}
