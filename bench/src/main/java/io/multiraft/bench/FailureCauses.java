package io.multiraft.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed writes counted by cause (the error's class, e.g. {@code NotLeader}, {@code Timeout},
 * {@code Overloaded}), so that a run with failures says why: a moved leader, a slow node and a full
 * queue call for different fixes.
 */
public final class FailureCauses {
  /** Key prefix of the per-cause counts in flat results: {@code failed_NotLeader}. */
  public static final String PREFIX = "failed_";

  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  public void record(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    counts.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
  }

  /** Counts so far, by cause, in name order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** {@code after - before} per cause, leaving out causes with no failures in between. */
  public static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        out.put(k, d);
      }
    });
    return out;
  }

  /** Sums the {@code failed_<cause>} counts of several nodes' flat results. */
  public static Map<String, Long> sumPrefixed(Iterable<Map<String, Object>> results) {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, Object> r : results) {
      r.forEach((k, v) -> {
        if (k.startsWith(PREFIX) && v instanceof Number n) {
          out.merge(k.substring(PREFIX.length()), n.longValue(), Long::sum);
        }
      });
    }
    return out;
  }
}
