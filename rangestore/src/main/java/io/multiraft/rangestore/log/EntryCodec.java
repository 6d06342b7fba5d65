package io.multiraft.rangestore.log;

import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.spi.CorruptLogException;
import java.util.zip.CRC32C;

/**
 * The value of a raft_log key: CRC32C (4 bytes) + term (8) + type (1) + data. The checksum covers
 * the key too (group id, index), then term, type and data, so an entry copied to the wrong key,
 * a flipped bit, or a value cut short is refused on read rather than applied.
 */
public final class EntryCodec {
  public static final int HEADER_BYTES = 13;
  private static final EntryType[] TYPES = EntryType.values();

  private EntryCodec() {}

  /** The stored value of {@code e} under {@code key} (as made by {@link LogKeys#log}). */
  public static byte[] encode(byte[] key, Entry e) {
    byte[] data = e.data();
    byte[] v = new byte[HEADER_BYTES + data.length];
    LogKeys.putLong(v, 4, e.term());
    v[12] = (byte) e.type().ordinal();
    System.arraycopy(data, 0, v, HEADER_BYTES, data.length);
    putInt(v, 0, checksum(key, v));
    return v;
  }

  /**
   * Writes the value of {@code e} at {@code valueAt} in {@code dst}, its key being the 16 bytes at
   * {@code keyAt}: the same bytes as {@link #encode}, without intermediate arrays. Returns the end.
   */
  static int encodeInto(byte[] dst, int keyAt, int valueAt, Entry e) {
    byte[] data = e.data();
    LogKeys.putLong(dst, valueAt + 4, e.term());
    dst[valueAt + 12] = (byte) e.type().ordinal();
    System.arraycopy(data, 0, dst, valueAt + HEADER_BYTES, data.length);
    int end = valueAt + HEADER_BYTES + data.length;
    CRC32C crc = new CRC32C();
    crc.update(dst, keyAt, LogKeys.LOG_KEY_BYTES);
    crc.update(dst, valueAt + 4, end - valueAt - 4);
    putInt(dst, valueAt, (int) crc.getValue());
    return end;
  }

  /**
   * The entry stored as {@code value} under (groupId, index).
   *
   * @throws CorruptLogException on a short value, an unknown type or a checksum mismatch
   */
  static Entry decode(long groupId, long index, byte[] value, String where) {
    if (value.length < HEADER_BYTES) {
      throw new CorruptLogException(groupId, index, where, "is truncated (" + value.length + " bytes, header needs " + HEADER_BYTES + ")");
    }
    if (getInt(value, 0) != checksum(LogKeys.log(groupId, index), value)) {
      throw new CorruptLogException(groupId, index, where);
    }
    int type = value[12];
    if (type < 0 || type >= TYPES.length) {
      throw new CorruptLogException(groupId, index, where, "has unknown entry type " + type);
    }
    byte[] data = new byte[value.length - HEADER_BYTES];
    System.arraycopy(value, HEADER_BYTES, data, 0, data.length);
    return new Entry(LogKeys.getLong(value, 4), index, TYPES[type], data);
  }

  /** The term alone, verified: term lookups need no copy of the data. */
  static long decodeTerm(long groupId, long index, byte[] value, String where) {
    if (value.length < HEADER_BYTES) {
      throw new CorruptLogException(groupId, index, where, "is truncated (" + value.length + " bytes, header needs " + HEADER_BYTES + ")");
    }
    if (getInt(value, 0) != checksum(LogKeys.log(groupId, index), value)) {
      throw new CorruptLogException(groupId, index, where);
    }
    return LogKeys.getLong(value, 4);
  }

  private static int checksum(byte[] key, byte[] value) {
    CRC32C crc = new CRC32C();
    crc.update(key, 0, LogKeys.LOG_KEY_BYTES);
    crc.update(value, 4, value.length - 4);
    return (int) crc.getValue();
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }
}
