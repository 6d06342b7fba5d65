package io.multiraft.bench.peer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the one flat JSON object the peer child prints (string keys; number, string, boolean or
 * null values). Integral numbers become {@code Long}, others {@code Double}.
 */
final class FlatJson {
  private final String s;
  private int pos;

  private FlatJson(String s) {
    this.s = s;
  }

  static Map<String, Object> parse(String json) {
    return new FlatJson(json.trim()).object();
  }

  private Map<String, Object> object() {
    Map<String, Object> out = new LinkedHashMap<>();
    expect('{');
    if (peek() == '}') {
      pos++;
      return out;
    }
    while (true) {
      String key = string();
      expect(':');
      out.put(key, value());
      char c = next();
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        throw error("expected , or }");
      }
    }
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (s.startsWith(word, pos)) {
        pos += word.length();
        return word.equals("null") ? null : Boolean.valueOf(word);
      }
    }
    int start = pos;
    while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    String num = s.substring(start, pos);
    if (num.isEmpty()) {
      throw error("expected a value");
    }
    return num.matches("-?\\d+") ? (Object) Long.valueOf(num) : (Object) Double.valueOf(num);
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = raw();
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = raw();
      switch (e) {
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> sb.append(e); // \" \\ \/
      }
    }
  }

  /** The next character as is: inside a string, white space counts. */
  private char raw() {
    if (pos >= s.length()) {
      throw error("unterminated string");
    }
    return s.charAt(pos++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected " + c);
    }
  }

  private char peek() {
    skipSpace();
    if (pos >= s.length()) {
      throw error("unexpected end");
    }
    return s.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void skipSpace() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + pos + " in " + s);
  }
}
