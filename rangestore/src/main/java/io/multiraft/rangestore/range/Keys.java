package io.multiraft.rangestore.range;

import java.util.Arrays;

/**
 * Order and printing of user keys. Keys are unsigned byte strings; the empty key is the start of
 * the key space and a null end key means "no end" (+infinity).
 */
public final class Keys {
  public static final byte[] MIN = new byte[0];

  private Keys() {}

  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** Compares end keys, where null is +infinity. */
  public static int compareEnd(byte[] a, byte[] b) {
    if (a == null) {
      return b == null ? 0 : 1;
    }
    return b == null ? -1 : compare(a, b);
  }

  /** Whether {@code key} lies in [start, end). */
  public static boolean inSpan(byte[] key, byte[] start, byte[] end) {
    return compare(key, start) >= 0 && (end == null || compare(key, end) < 0);
  }

  /** Printable text for logs and errors: ASCII as is, other bytes as \xNN. */
  public static String show(byte[] key) {
    if (key == null) {
      return "+inf";
    }
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : key) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.append('"').toString();
  }
}
