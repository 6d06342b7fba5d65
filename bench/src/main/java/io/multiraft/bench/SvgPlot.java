package io.multiraft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line plot as inline SVG with logarithmic x and y axes: group counts span decades, and so do
 * both throughput and idle CPU, where ours and the peer differ by orders of magnitude. Points at
 * or below zero cannot sit on a log axis and are left out. Hand-written so the report needs no
 * script or library to open.
 */
final class SvgPlot {
  private static final int W = 560;
  private static final int H = 320;
  private static final int LEFT = 70;
  private static final int RIGHT = 130;
  private static final int TOP = 30;
  private static final int BOTTOM = 45;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

  /** One line: (x, y) pairs in x order. */
  record Series(String name, List<double[]> points) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();

  SvgPlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  SvgPlot add(String name, List<double[]> points) {
    series.add(new Series(name, points.stream().filter(p -> p[0] > 0 && p[1] > 0).toList()));
    return this;
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " font-family=\"sans-serif\" font-size=\"11\">%n", W, H));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
        LEFT, HtmlReport.escape(title)));
    List<double[]> all = series.stream().flatMap(s -> s.points().stream()).toList();
    if (all.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no points in this run</text>%n", LEFT, H / 2));
      return sb.append("</svg>\n").toString();
    }
    Axis x = Axis.of(all.stream().mapToDouble(p -> p[0]).toArray(), LEFT, W - RIGHT);
    Axis y = Axis.of(all.stream().mapToDouble(p -> p[1]).toArray(), H - BOTTOM, TOP);
    frame(sb, x, y);
    for (int i = 0; i < series.size(); i++) {
      line(sb, series.get(i), x, y, COLOURS[i % COLOURS.length], i);
    }
    return sb.append("</svg>\n").toString();
  }

  private void frame(StringBuilder sb, Axis x, Axis y) {
    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
        + " stroke=\"#888\"/>%n", LEFT, TOP, W - RIGHT - LEFT, H - BOTTOM - TOP));
    for (int e = x.lowExp; e <= x.highExp; e++) {
      double px = x.pixel(Math.pow(10, e));
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP, px, H - BOTTOM, px,
          H - BOTTOM + 15, tick(e)));
    }
    for (int e = y.lowExp; e <= y.highExp; e++) {
      double py = y.pixel(Math.pow(10, e));
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py, W - RIGHT, py, LEFT - 5,
          py + 4, tick(e)));
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
        (LEFT + W - RIGHT) / 2, H - 8, HtmlReport.escape(xLabel)));
    sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\""
        + " transform=\"rotate(-90 14 %d)\">"
        + "%s</text>%n", (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, HtmlReport.escape(yLabel)));
  }

  private static void line(StringBuilder sb, Series s, Axis x, Axis y, String colour, int index) {
    StringBuilder path = new StringBuilder();
    for (double[] p : s.points()) {
      path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.pixel(p[0]), y.pixel(p[1])));
    }
    sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
        path.toString().trim(), colour));
    for (double[] p : s.points()) {
      sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
          + "<title>%s: %s at %s</title></circle>%n", x.pixel(p[0]), y.pixel(p[1]), colour,
          HtmlReport.escape(s.name()), SideBySide.format(p[1]), SideBySide.format(p[0])));
    }
    int ly = TOP + 12 + 18 * index;
    sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
        + " stroke-width=\"2\"/>"
        + "<text x=\"%d\" y=\"%d\">%s</text>%n", W - RIGHT + 10, ly, W - RIGHT + 30, ly, colour, W - RIGHT + 35,
        ly + 4, HtmlReport.escape(s.name())));
  }

  /** 10^e as a short label: 0.001, 1, 1k, 10M. */
  static String tick(int e) {
    if (e < 0) {
      return String.format(Locale.ROOT, "%." + (-e) + "f", Math.pow(10, e));
    }
    String[] suffix = {"", "k", "M", "G"};
    int group = Math.min(e / 3, suffix.length - 1);
    return (long) Math.pow(10, e - 3 * group) + suffix[group];
  }

  /** A log axis over whole decades covering the values, mapped onto pixels from {@code from} to {@code to}. */
  private record Axis(int lowExp, int highExp, double from, double to) {
    static Axis of(double[] values, double from, double to) {
      double min = Double.MAX_VALUE;
      double max = 0;
      for (double v : values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      int low = (int) Math.floor(Math.log10(min));
      int high = (int) Math.ceil(Math.log10(max));
      return new Axis(low, high == low ? low + 1 : high, from, to);
    }

    double pixel(double v) {
      double f = (Math.log10(v) - lowExp) / (highExp - lowExp);
      return from + f * (to - from);
    }
  }
}
