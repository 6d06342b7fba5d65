package io.multiraft.bench.xjvm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One-line JSON objects of numbers and strings: the replies of a node process. Flat on purpose,
 * so both ends stay a few lines and a reply is always exactly one line of the protocol.
 */
public final class FlatJson {
  private FlatJson() {}

  /** {@code {"a":1,"b":"x"}}; values are numbers, strings or booleans. */
  public static String write(Map<String, ?> m) {
    StringBuilder sb = new StringBuilder("{");
    for (var e : m.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      string(sb, e.getKey());
      sb.append(':');
      Object v = e.getValue();
      if (v instanceof Double d) {
        sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.6f", d));
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        string(sb, String.valueOf(v));
      }
    }
    return sb.append('}').toString();
  }

  /** Parses what {@link #write} writes: integers become Long, other numbers Double, null stays null. */
  public static Map<String, Object> parse(String s) {
    Map<String, Object> out = new LinkedHashMap<>();
    int[] pos = {skip(s, 0)};
    expect(s, pos, '{');
    if (peek(s, pos) == '}') {
      return out;
    }
    while (true) {
      String key = readString(s, pos);
      expect(s, pos, ':');
      out.put(key, readValue(s, pos));
      char c = peek(s, pos);
      pos[0]++;
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected ',' or '}' at " + (pos[0] - 1) + " in " + s);
      }
    }
  }

  private static Object readValue(String s, int[] pos) {
    if (peek(s, pos) == '"') {
      return readString(s, pos);
    }
    int start = pos[0];
    while (pos[0] < s.length() && ",}".indexOf(s.charAt(pos[0])) < 0) {
      pos[0]++;
    }
    String tok = s.substring(start, pos[0]).trim();
    if (tok.equals("null")) {
      return null;
    }
    if (tok.equals("true") || tok.equals("false")) {
      return Boolean.valueOf(tok);
    }
    try {
      return tok.matches("-?\\d+") ? (Object) Long.parseLong(tok) : (Object) Double.parseDouble(tok);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad value '" + tok + "' in " + s, e);
    }
  }

  private static String readString(String s, int[] pos) {
    expect(s, pos, '"');
    StringBuilder sb = new StringBuilder();
    while (pos[0] < s.length()) {
      char c = s.charAt(pos[0]++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\' && pos[0] < s.length()) {
        char e = s.charAt(pos[0]++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(pos[0], pos[0] + 4), 16));
            pos[0] += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated string in " + s);
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    sb.append('"');
  }

  private static char peek(String s, int[] pos) {
    pos[0] = skip(s, pos[0]);
    if (pos[0] >= s.length()) {
      throw new IllegalArgumentException("unexpected end of " + s);
    }
    return s.charAt(pos[0]);
  }

  private static void expect(String s, int[] pos, char c) {
    if (peek(s, pos) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + pos[0] + " in " + s);
    }
    pos[0]++;
  }

  private static int skip(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
