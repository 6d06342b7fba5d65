package io.multiraft.transport;

import java.util.ArrayDeque;
import java.util.List;

/** The last few lines of some kind of event, oldest first. Thread-safe. */
final class RecentLines {
  private final int keep;
  private final ArrayDeque<String> lines = new ArrayDeque<>();

  RecentLines(int keep) {
    this.keep = keep;
  }

  synchronized void add(String line) {
    if (lines.size() == keep) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  synchronized List<String> list() {
    return List.copyOf(lines);
  }
}
