package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;

/** The JSON the admin commands print with {@code --json}: small, flat, hand-written (no dependency). */
final class Json {
  private Json() {}

  static String of(RangeDescriptor d, long leader) {
    return "{\"range\":" + d.rangeId() + ",\"start\":" + str(Keys.show(d.startKey())) + ",\"end\":"
        + (d.endKey() == null ? "null" : str(Keys.show(d.endKey()))) + ",\"generation\":" + d.generation()
        + ",\"replicas\":" + d.nodeIds() + (leader != 0 ? ",\"leader\":" + leader : "") + "}";
  }

  /** A JSON string of printable text (Keys.show already escaped non-printable bytes). */
  static String str(String s) {
    String inner = s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s;
    return "\"" + inner.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
