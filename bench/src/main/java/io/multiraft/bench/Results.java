package io.multiraft.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of the end-to-end scenarios. One point per group count:
 * {@code {"scenario", "groups", "nodes", "payload_bytes", "mode", "ours": {...}}}; a comparison
 * with another Raft library adds its figures as {@code "peer": {...}} beside {@code "ours"}, in
 * {@link #point}. A document of one point is that point; of several, the common fields and
 * {@code "points": [...]}. Where a peer ran, a point also holds {@code "ratio"} ({@link Ratios}).
 */
final class Results {
  private Results() {}

  static Map<String, Object> point(String scenario, int groups, int nodes, int payloadBytes, String mode,
      Map<String, Object> ours) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("scenario", scenario);
    p.put("groups", groups);
    p.put("nodes", nodes);
    p.put("payload_bytes", payloadBytes);
    p.put("mode", mode);
    p.put("ours", ours);
    return p;
  }

  static Map<String, Object> document(String scenario, int nodes, int payloadBytes, String mode,
      List<Map<String, Object>> points) {
    return points.size() == 1 ? points.get(0) : sweep(scenario, nodes, payloadBytes, mode, points);
  }

  /** Always a list of points, even of one: {@code scale}'s shape, whose points mix scenarios. */
  static Map<String, Object> sweep(String scenario, int nodes, int payloadBytes, String mode,
      List<Map<String, Object>> points) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", scenario);
    out.put("nodes", nodes);
    out.put("payload_bytes", payloadBytes);
    out.put("mode", mode);
    out.put("points", points);
    return out;
  }
}
