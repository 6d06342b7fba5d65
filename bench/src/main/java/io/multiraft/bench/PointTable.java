package io.multiraft.bench;

import java.util.List;
import java.util.Map;

/** The report's table: one row per point, ours, the peer and the ratio side by side for each figure. */
final class PointTable {
  /** Figure, header, and whether the row shows a ratio for it. */
  private record Column(String figure, String header, boolean ratio) {}

  private static final List<Column> COLUMNS = List.of(
      new Column("writes_per_sec", "writes/s", true),
      new Column("p99_ms", "p99 ms", true),
      new Column("cpu_cores_per_node", "CPU cores/node", true),
      new Column("heap_bytes_per_replica", "heap B/replica", true),
      new Column("rss_bytes_per_node", "RSS B/node", true),
      new Column("wire_msgs_per_sec", "wire msgs/s", true),
      new Column("leaders_ready_ms", "leaders ready ms", false));

  private PointTable() {}

  static String render(List<Map<String, Object>> points) {
    StringBuilder sb = new StringBuilder("<table>\n<tr><th rowspan=\"2\">scenario</th><th rowspan=\"2\">groups</th>");
    for (Column c : COLUMNS) {
      sb.append("<th colspan=\"").append(c.ratio() ? 3 : 2).append("\">").append(c.header()).append("</th>");
    }
    sb.append("<th rowspan=\"2\">sofajraft status</th></tr>\n<tr>");
    for (Column c : COLUMNS) {
      sb.append("<th>ours</th><th>sofajraft</th>").append(c.ratio() ? "<th>ratio</th>" : "");
    }
    sb.append("</tr>\n");
    for (Map<String, Object> p : points) {
      row(sb, p);
    }
    return sb.append("</table>\n<p>Ratios above 1 favour ours: writes/s is ours/sofajraft, the costs are"
        + " sofajraft/ours. sofajraft's CPU and RSS per node are its one JVM's divided by the nodes.</p>\n").toString();
  }

  private static void row(StringBuilder sb, Map<String, Object> p) {
    Map<?, ?> ours = p.get("ours") instanceof Map<?, ?> m ? m : Map.of();
    Map<?, ?> peer = p.get("peer") instanceof Map<?, ?> m ? m : null;
    sb.append("<tr><td>").append(HtmlReport.escape(String.valueOf(p.get("scenario")))).append("</td><td>")
        .append(p.get("groups")).append("</td>");
    for (Column c : COLUMNS) {
      cell(sb, ours.get(c.figure()));
      cell(sb, peer == null ? null : peer.get(c.figure()));
      if (c.ratio()) {
        Double r = Ratios.value(p, c.figure());
        String ratio = r == null ? "" : String.format(java.util.Locale.ROOT, "%.2f&times;", r);
        sb.append("<td>").append(ratio).append("</td>");
      }
    }
    if (peer == null) {
      sb.append("<td>not run</td>");
    } else {
      boolean ok = "ok".equals(peer.get("status"));
      String why = HtmlReport.escape(String.valueOf(peer.get("error")));
      sb.append(ok ? "<td>" : "<td class=\"bad\" title=\"" + why + "\">")
          .append(HtmlReport.escape(String.valueOf(peer.get("status"))));
      if (!ok) {
        sb.append(" (started ").append(peer.get("groups_started")).append(", led ").append(peer.get("groups_led"))
            .append(")");
      }
      sb.append("</td>");
    }
    sb.append("</tr>\n");
  }

  private static void cell(StringBuilder sb, Object v) {
    sb.append("<td>").append(v instanceof Number ? SideBySide.format(v) : "").append("</td>");
  }
}
