package io.multiraft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The console's view of one compared point: a figure per line, ours, the peer, the ratio. */
final class SideBySide {
  /** Figures shown, in order, where either side has them. */
  private static final String[] FIGURES = {"writes_per_sec", "p50_ms", "p99_ms", "p999_ms", "cpu_cores_per_node",
      "heap_bytes_per_replica", "rss_bytes_per_node", "wire_msgs_per_sec", "leaders_ready_ms"};

  private SideBySide() {}

  @SuppressWarnings("unchecked")
  static List<String> lines(Map<String, Object> point) {
    Map<String, Object> ours = (Map<String, Object>) point.get("ours");
    Map<String, Object> peer = (Map<String, Object>) point.get("peer");
    List<String> out = new ArrayList<>();
    String title = point.get("scenario") + " groups=" + point.get("groups");
    if (!PeerComparison.ok(peer)) {
      out.add(title + ": sofajraft status " + peer.get("status") + " (started " + peer.get("groups_started")
          + ", led " + peer.get("groups_led") + "; " + peer.get("error") + "): no ratio");
      return out;
    }
    out.add(String.format(Locale.ROOT, "%-24s %14s %14s %9s", title, "ours", "sofajraft", "ratio"));
    for (String k : FIGURES) {
      Object o = ours.get(k);
      Object p = peer.get(k);
      if (o == null && p == null) {
        continue;
      }
      Double r = Ratios.value(point, k);
      out.add(String.format(Locale.ROOT, "  %-22s %14s %14s %9s", k, format(o), format(p),
          r == null ? "" : String.format(Locale.ROOT, "%.2fx", r)));
    }
    return out;
  }

  static String format(Object v) {
    if (!(v instanceof Number n)) {
      return v == null ? "-" : v.toString();
    }
    double d = n.doubleValue();
    if (d != 0 && Math.abs(d) < 10) {
      return String.format(Locale.ROOT, "%.3f", d);
    }
    return String.format(Locale.ROOT, "%,.0f", d);
  }
}
