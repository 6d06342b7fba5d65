package io.multiraft.bench.peer;

import java.util.Locale;
import java.util.Map;

/** Writes a flat map (numbers, strings, booleans) as one line of JSON: the child's only stdout. */
final class JsonLine {
  private JsonLine() {}

  static String write(Map<String, ?> m) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (var e : m.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey());
      sb.append(':');
      value(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  private static void value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      // JSON has no NaN or infinity; a missing measurement reads as null
      sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "null");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else {
      string(sb, v.toString());
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    sb.append('"');
  }
}
