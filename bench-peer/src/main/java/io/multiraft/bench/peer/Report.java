package io.multiraft.bench.peer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child's result, filled in as the run goes, printed once as the only JSON line on stdout,
 * after which the process halts. Shared by the main thread and the {@link RssGuard}, which may
 * have to end the run early: whichever finishes first reports what had been reached.
 */
final class Report {
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private boolean emitted;

  synchronized void put(String key, Object value) {
    fields.put(key, value);
  }

  synchronized void putAll(Map<String, Object> m) {
    fields.putAll(m);
  }

  /** Prints the report unless it was already printed, then halts the JVM with {@code code}. */
  synchronized void emitAndHalt(int code) {
    if (!emitted) {
      emitted = true;
      System.out.println(JsonLine.write(fields));
      System.out.flush();
    }
    // halt, not exit: the replicas' data is thrown away with the run directory, and neither a
    // graceful shutdown of thousands of replicas nor bolt's non-daemon threads should decide when
    // this process ends
    Runtime.getRuntime().halt(code);
  }
}
