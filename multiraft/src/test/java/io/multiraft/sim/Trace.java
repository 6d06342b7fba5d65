package io.multiraft.sim;

import java.util.ArrayDeque;

/** The last events of a run, for a failure report, and a hash of all of them, for determinism. */
public final class Trace {
  /** Events kept for the report; {@code -Dsim.trace.keep=N} keeps more, to read a whole replay. */
  private static final int KEEP = Integer.getInteger("sim.trace.keep", 300);
  private final ArrayDeque<String> last = new ArrayDeque<>();
  private long hash = 1125899906842597L;
  private long count;

  public void add(long now, String event) {
    String line = String.format("%9.3fms %s", now / 1e6, event);
    for (int i = 0; i < line.length(); i++) {
      hash = 31 * hash + line.charAt(i);
    }
    count++;
    if (last.size() == KEEP) {
      last.removeFirst();
    }
    last.addLast(line);
  }

  public long hash() {
    return hash;
  }

  public long count() {
    return count;
  }

  public String tail() {
    return String.join("\n", last);
  }
}
