package io.multiraft.rangestore.codec;

import java.util.zip.CRC32C;

/**
 * Reads what an {@link Encoder} wrote. Every read is bounds-checked and fails with a
 * {@link MalformedException} naming the field, never with an index error or a huge allocation.
 */
public final class Decoder {
  private final byte[] buf;
  private final int end;
  private int pos;

  private Decoder(byte[] buf, int end) {
    this.buf = buf;
    this.end = end;
  }

  /** A decoder of a record without a checksum. */
  public static Decoder of(byte[] data) {
    if (data == null) {
      throw new MalformedException("record is null");
    }
    return new Decoder(data, data.length);
  }

  /** Verifies the trailing CRC32C of {@code data} and returns a decoder of what it covers. */
  public static Decoder checked(byte[] data, String what) {
    if (data == null || data.length < 4) {
      throw new MalformedException(what + " is too short to hold a checksum (" + (data == null ? "null" : data.length + " bytes") + ")");
    }
    int end = data.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(data, 0, end);
    Decoder d = new Decoder(data, data.length);
    d.pos = end;
    if (d.i32("checksum") != (int) crc.getValue()) {
      throw new MalformedException(what + " fails its checksum (damaged or not produced by this version)");
    }
    return new Decoder(data, end);
  }

  private void need(int n, String field) {
    if (n < 0 || end - pos < n) {
      throw new MalformedException("truncated at " + field + ": needs " + n + " bytes, " + (end - pos) + " left");
    }
  }

  public int u8(String field) {
    need(1, field);
    return buf[pos++] & 0xff;
  }

  public int i32(String field) {
    need(4, field);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  public long i64(String field) {
    need(8, field);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  /** A byte string written by {@link Encoder#bytes}; null if it was written as absent. */
  public byte[] bytes(String field) {
    int n = i32(field + " length");
    if (n == -1) {
      return null;
    }
    need(n, field);
    byte[] v = new byte[n];
    System.arraycopy(buf, pos, v, 0, n);
    pos += n;
    return v;
  }

  /** A count of items that are each at least {@code minItemBytes} long; bounded by what is left. */
  public int count(String field, int minItemBytes) {
    int n = i32(field + " count");
    if (n < 0 || (long) n * Math.max(1, minItemBytes) > end - pos) {
      throw new MalformedException("implausible " + field + " count " + n + " with " + (end - pos) + " bytes left");
    }
    return n;
  }

  public boolean hasMore() {
    return pos < end;
  }

  /** Fails if bytes are left over: a record longer than its fields is as suspect as a short one. */
  public void expectEnd(String what) {
    if (pos != end) {
      throw new MalformedException(what + " has " + (end - pos) + " unexpected trailing bytes");
    }
  }
}
