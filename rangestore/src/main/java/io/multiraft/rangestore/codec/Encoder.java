package io.multiraft.rangestore.codec;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Appends big-endian fields to a growing byte array. The formats of the range store (commands,
 * range state, snapshots) are built with it and end with {@link #finishWithChecksum()}, so a
 * reader can tell a damaged record from a valid one.
 */
public final class Encoder {
  private byte[] buf;
  private int pos;

  public Encoder(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  public Encoder u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public Encoder i32(int v) {
    ensure(4);
    for (int s = 24; s >= 0; s -= 8) {
      buf[pos++] = (byte) (v >>> s);
    }
    return this;
  }

  public Encoder i64(long v) {
    ensure(8);
    for (int s = 56; s >= 0; s -= 8) {
      buf[pos++] = (byte) (v >>> s);
    }
    return this;
  }

  /** A length-prefixed byte string; null is written as length -1, so "absent" survives a round trip. */
  public Encoder bytes(byte[] v) {
    if (v == null) {
      return i32(-1);
    }
    i32(v.length);
    ensure(v.length);
    System.arraycopy(v, 0, buf, pos, v.length);
    pos += v.length;
    return this;
  }

  /** Appends bytes as they are (no length prefix). */
  public Encoder raw(byte[] v) {
    ensure(v.length);
    System.arraycopy(v, 0, buf, pos, v.length);
    pos += v.length;
    return this;
  }

  public int size() {
    return pos;
  }

  public byte[] toBytes() {
    return Arrays.copyOf(buf, pos);
  }

  /** Appends a CRC32C of everything written so far and returns the record. */
  public byte[] finishWithChecksum() {
    CRC32C crc = new CRC32C();
    crc.update(buf, 0, pos);
    i32((int) crc.getValue());
    return toBytes();
  }
}
