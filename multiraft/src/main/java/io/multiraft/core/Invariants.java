package io.multiraft.core;

/**
 * Always-on assertions for cheap checks. Java's {@code assert} is off unless {@code -ea}; a broken
 * Raft invariant must stop the group loudly in production too, naming the state. The overloads
 * take primitives so that the passing path neither boxes nor formats.
 */
public final class Invariants {
  private Invariants() {}

  /** Thrown when an internal invariant of a group is broken: a bug, never bad input. */
  public static final class InvariantViolation extends IllegalStateException {
    public InvariantViolation(String message) {
      super(message);
    }
  }

  public static void check(boolean condition, String message) {
    if (!condition) {
      throw new InvariantViolation(message);
    }
  }

  public static void check(boolean condition, String format, long a) {
    if (!condition) {
      throw new InvariantViolation(String.format(format, a));
    }
  }

  public static void check(boolean condition, String format, long a, long b) {
    if (!condition) {
      throw new InvariantViolation(String.format(format, a, b));
    }
  }

  public static void check(boolean condition, String format, long a, long b, long c) {
    if (!condition) {
      throw new InvariantViolation(String.format(format, a, b, c));
    }
  }

  public static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new InvariantViolation(String.format(format, args));
    }
  }
}
