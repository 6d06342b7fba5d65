package io.multiraft.bench;

import java.util.Map;

/** Sums and deltas over the nodes' {@code stats} replies (by node id). */
final class NodeFigures {
  private NodeFigures() {}

  static long sum(Map<Long, Map<String, Object>> replies, String key) {
    long n = 0;
    for (Map<String, Object> r : replies.values()) {
      n += number(r, key);
    }
    return n;
  }

  /** Sum over the nodes of after − before; nodes missing from {@code after} (killed) are left out. */
  static long delta(Map<Long, Map<String, Object>> before, Map<Long, Map<String, Object>> after, String key) {
    long n = 0;
    for (var e : after.entrySet()) {
      n += number(e.getValue(), key) - number(before.get(e.getKey()), key);
    }
    return n;
  }

  static double mean(Map<Long, Map<String, Object>> replies, String key) {
    return replies.isEmpty() ? 0 : sum(replies, key) / (double) replies.size();
  }

  static long number(Map<String, Object> reply, String key) {
    Object v = reply.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalStateException("node reply has no number '" + key + "': " + reply);
    }
    return n.longValue();
  }
}
