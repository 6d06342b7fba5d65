package io.multiraft.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of the end-to-end scenarios. One point per group count:
 * {@code {"scenario", "groups", "nodes", "payload_bytes", "mode", "ours": {...}}}; a comparison
 * with another Raft library adds its figures as {@code "peer": {...}} beside {@code "ours"}, in
 * {@link #point}. A document of one point is that point; of several, the common fields and
 * {@code "points": [...]}.
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
    if (points.size() == 1) {
      return points.get(0);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", scenario);
    out.put("nodes", nodes);
    out.put("payload_bytes", payloadBytes);
    out.put("mode", mode);
    out.put("points", points);
    return out;
  }
}
