package io.multiraft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ratios and the HTML report over hand-made points: no cluster, no peer. */
class ReportTest {
  private static Map<String, Object> point(String scenario, int groups, Map<String, Object> ours,
      Map<String, Object> peer) {
    Map<String, Object> p = Results.point(scenario, groups, 3, 128, "processes", ours);
    p.put("peer", peer);
    p.put("ratio", Ratios.of(ours, peer));
    return p;
  }

  private static Map<String, Object> peer(String status, Map<String, Object> figures) {
    Map<String, Object> m = new LinkedHashMap<>(Map.of("name", "sofajraft", "status", status));
    m.putAll(figures);
    return m;
  }

  @Test
  void ratiosFavourOursAboveOne() {
    Map<String, Object> r = Ratios.of(Map.of("writes_per_sec", 30_000.0, "cpu_cores_per_node", 0.5,
        "wire_msgs_per_sec", 0.0), peer("ok", Map.of("writes_per_sec", 1_000.0, "cpu_cores_per_node", 1.0,
        "wire_msgs_per_sec", 1900.0)));
    assertEquals(30.0, (Double) r.get("writes_per_sec"), 1e-9);
    assertEquals(2.0, (Double) r.get("cpu_cores_per_node"), 1e-9, "cpu is peer/ours");
    assertFalse(r.containsKey("wire_msgs_per_sec"), "no ratio over a zero: " + r);
  }

  @Test
  void aPeerThatDidNotFinishHasNoRatioButItsStatus() {
    Map<String, Object> r = Ratios.of(Map.of("writes_per_sec", 1.0), peer("leaders_timeout", Map.of()));
    assertEquals("peer status leaders_timeout", r.get("unavailable"));
    assertNull(r.get("writes_per_sec"));
  }

  @Test
  void reportPlotsBothSidesAndNamesThePeersFailures() {
    List<Map<String, Object>> points = List.of(
        point("throughput", 10, Map.of("writes_per_sec", 50_000.0), peer("ok", Map.of("writes_per_sec", 11_000.0))),
        point("throughput", 1000, Map.of("writes_per_sec", 45_000.0), peer("leaders_timeout", Map.of())),
        point("idle", 10, Map.of("cpu_cores_per_node", 0.002), peer("ok", Map.of("cpu_cores_per_node", 0.1))));
    String html = HtmlReport.render(Results.sweep("scale", 3, 128, "processes", points));

    assertEquals(2, html.split("<svg", -1).length - 1, "two plots");
    assertTrue(html.contains("<polyline"), html);
    assertTrue(html.contains("1000 groups: leaders_timeout"), html);
    assertTrue(html.contains("4.55&times;"), "the writes ratio 50k/11k in the table: " + html);
  }

  @Test
  void logTicksAreShort() {
    assertEquals("0.01", SvgPlot.tick(-2));
    assertEquals("1", SvgPlot.tick(0));
    assertEquals("100k", SvgPlot.tick(5));
    assertEquals("1M", SvgPlot.tick(6));
  }
}
