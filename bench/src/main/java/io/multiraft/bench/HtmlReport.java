package io.multiraft.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML page of one run: throughput and idle CPU against the number of groups, ours beside
 * the peer (inline {@link SvgPlot}s, no script), then every point in a table, with the peer's
 * status where it did not finish. Reads the same document the JSON file holds.
 */
final class HtmlReport {
  private HtmlReport() {}

  static String render(Map<String, Object> doc) {
    List<Map<String, Object>> points = points(doc);
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>multiraft bench: ")
        .append(escape(String.valueOf(doc.get("scenario")))).append("</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:12px}")
        .append("td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f4f4f4}")
        .append(".bad{color:#b00}.plots{display:flex;flex-wrap:wrap;gap:1em}</style></head><body>\n");
    sb.append("<h1>multiraft bench: ").append(escape(String.valueOf(doc.get("scenario")))).append("</h1>\n");
    sb.append("<p>").append(escape(machine())).append("; nodes ").append(doc.get("nodes")).append(", mode ")
        .append(escape(String.valueOf(doc.get("mode")))).append(". Ours: one JVM per node");
    boolean processes = doc.get("mode") == null || "processes".equals(doc.get("mode"));
    sb.append(processes ? " over the Netty transport" : " (in-process)");
    if (!points.isEmpty() && "splitmerge".equals(points.get(0).get("scenario"))) {
      sb.append(" (the range store; no peer: SOFAJRaft has no split or merge).</p>\n");
      return sb.append(figures(points.get(0))).append("</body></html>\n").toString();
    }
    sb.append("; sofajraft: all nodes in one child JVM. Ratios above 1 favour ours.</p>\n<div class=\"plots\">\n");
    sb.append(plot(points, "throughput", "writes_per_sec", "Committed writes/s against groups", "writes/s"));
    sb.append(plot(points, "idle", "cpu_cores_per_node", "Idle CPU per node against groups", "cores per node"));
    sb.append("</div>\n");
    sb.append(PointTable.render(points));
    return sb.append("</body></html>\n").toString();
  }

  /** Every figure of one point's {@code ours}, one row each: for scenarios with no plot or peer. */
  private static String figures(Map<String, Object> point) {
    StringBuilder sb = new StringBuilder("<table>\n<tr><th>figure</th><th>ours</th></tr>\n");
    if (point.get("ours") instanceof Map<?, ?> ours) {
      for (var e : ours.entrySet()) {
        sb.append("<tr><td style=\"text-align:left\">").append(escape(String.valueOf(e.getKey()))).append("</td><td>")
            .append(e.getValue() instanceof Number ? SideBySide.format(e.getValue()) : escape(String.valueOf(e.getValue())))
            .append("</td></tr>\n");
      }
    }
    return sb.append("</table>\n").toString();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> points(Map<String, Object> doc) {
    if (doc.get("points") instanceof List<?> l) {
      return (List<Map<String, Object>>) l;
    }
    return List.of(doc);
  }

  /** One plot of a figure over the points of one scenario, ours and the peer, and why peer points are missing. */
  @SuppressWarnings("unchecked")
  private static String plot(List<Map<String, Object>> points, String scenario, String figure, String title,
      String yLabel) {
    List<double[]> ours = new ArrayList<>();
    List<double[]> peer = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    boolean anyPeer = false;
    for (Map<String, Object> p : points) {
      if (!scenario.equals(p.get("scenario"))) {
        continue;
      }
      double g = ((Number) p.get("groups")).doubleValue();
      if (p.get("ours") instanceof Map<?, ?> o && o.get(figure) instanceof Number n) {
        ours.add(new double[] {g, n.doubleValue()});
      }
      if (p.get("peer") instanceof Map<?, ?> pm) {
        anyPeer = true;
        if (PeerComparison.ok((Map<String, Object>) pm) && pm.get(figure) instanceof Number n) {
          peer.add(new double[] {g, n.doubleValue()});
        } else {
          missing.add(p.get("groups") + " groups: " + pm.get("status"));
        }
      }
    }
    SvgPlot plot = new SvgPlot(title + " (log-log)", "groups", yLabel).add("ours", ours);
    if (anyPeer) {
      plot.add("sofajraft", peer);
    }
    StringBuilder sb = new StringBuilder("<figure>").append(plot.render());
    if (!missing.isEmpty()) {
      sb.append("<figcaption class=\"bad\">sofajraft without a result at ")
          .append(escape(String.join("; ", missing))).append("</figcaption>");
    }
    return sb.append("</figure>\n").toString();
  }

  private static String machine() {
    String host = System.getenv().getOrDefault("HOSTNAME", "this machine");
    return String.format(Locale.ROOT, "%s, %s, %d cores, Java %s, %s", ZonedDateTime.now().format(
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")), host, Runtime.getRuntime().availableProcessors(),
        Runtime.version(), System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
