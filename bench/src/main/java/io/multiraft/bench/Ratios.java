package io.multiraft.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code "ratio"} of one point: ours against the peer, each oriented so that above 1 favours
 * ours. Throughput is ours/peer; costs (CPU, heap, RSS, wire messages, latency) are peer/ours,
 * since lower is better there. Keys are the figures' own names, so {@code ratio.writes_per_sec}
 * reads as "ours writes this many times as much".
 */
final class Ratios {
  /** Figures where more is better: ours/peer. */
  private static final String[] MORE_IS_BETTER = {"writes_per_sec"};
  /** Figures where less is better: peer/ours. */
  private static final String[] LESS_IS_BETTER = {"p99_ms", "cpu_cores_per_node", "heap_bytes_per_replica",
      "rss_bytes_per_node", "wire_msgs_per_sec", "leaders_ready_ms"};

  private Ratios() {}

  /**
   * The ratios where both sides have the figure; when the peer did not complete its run there is
   * no ratio, only {@code "unavailable"} saying why, since a partial run's figures compare nothing.
   */
  static Map<String, Object> of(Map<String, Object> ours, Map<String, Object> peer) {
    Map<String, Object> r = new LinkedHashMap<>();
    if (!"ok".equals(peer.get("status"))) {
      r.put("unavailable", "peer status " + peer.get("status"));
      return r;
    }
    r.put("basis", "above 1 favours ours: writes_per_sec is ours/peer, the costs are peer/ours");
    for (String k : MORE_IS_BETTER) {
      put(r, k, ours.get(k), peer.get(k));
    }
    for (String k : LESS_IS_BETTER) {
      put(r, k, peer.get(k), ours.get(k));
    }
    return r;
  }

  /** The ratio's value for a console line or a table cell; null when the point has none. */
  static Double writes(Map<String, Object> point) {
    return value(point, "writes_per_sec");
  }

  static Double value(Map<String, Object> point, String key) {
    if (point.get("ratio") instanceof Map<?, ?> r && r.get(key) instanceof Double d) {
      return d;
    }
    return null;
  }

  private static void put(Map<String, Object> r, String key, Object numerator, Object denominator) {
    // A zero denominator (an idle run that sent no message) has no meaningful ratio: leave it out.
    if (numerator instanceof Number n && denominator instanceof Number d && d.doubleValue() > 0) {
      r.put(key, n.doubleValue() / d.doubleValue());
    }
  }
}
