package io.multiraft.bench;

/** Console progress lines of a scenario run, stamped with the seconds since the run began. */
final class Progress {
  private static final long START_NS = System.nanoTime();

  private Progress() {}

  static void say(String line) {
    System.out.printf("[bench %6.1fs] %s%n", (System.nanoTime() - START_NS) / 1e9, line);
    System.out.flush();
  }
}
