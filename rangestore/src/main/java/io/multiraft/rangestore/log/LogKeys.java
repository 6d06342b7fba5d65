package io.multiraft.rangestore.log;

/**
 * Key layout. raft_log: 8-byte big-endian group id + 8-byte big-endian index, so one group's log is
 * one contiguous key range in index order and a prefix of 8 bytes selects a group. raft_state:
 * 8-byte group id + 1 byte record kind. Group ids and indexes are positive, so big-endian byte order
 * is numeric order (RocksDB compares bytes unsigned).
 */
public final class LogKeys {
  public static final int LOG_KEY_BYTES = 16;
  public static final int GROUP_PREFIX_BYTES = 8;

  private LogKeys() {}

  public static byte[] log(long groupId, long index) {
    byte[] k = new byte[LOG_KEY_BYTES];
    putLong(k, 0, groupId);
    putLong(k, 8, index);
    return k;
  }

  /** The first possible log key of a group (index 0 is never used). */
  static byte[] logStart(long groupId) {
    return log(groupId, 0);
  }

  /**
   * Just past a group's last possible log key: the next group's first. For the largest id this is
   * 0x80..., still above every positive id in unsigned byte order.
   */
  static byte[] logEnd(long groupId) {
    return log(groupId + 1, 0);
  }

  static byte[] state(long groupId, byte kind) {
    byte[] k = new byte[GROUP_PREFIX_BYTES + 1];
    putLong(k, 0, groupId);
    k[GROUP_PREFIX_BYTES] = kind;
    return k;
  }

  /** The group's 8-byte prefix: sorts before all its state keys. */
  static byte[] stateStart(long groupId) {
    byte[] k = new byte[GROUP_PREFIX_BYTES];
    putLong(k, 0, groupId);
    return k;
  }

  static byte[] stateEnd(long groupId) {
    return stateStart(groupId + 1);
  }

  static long groupOf(byte[] key) {
    return getLong(key, 0);
  }

  static long indexOf(byte[] logKey) {
    return getLong(logKey, 8);
  }

  static void putLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xFF);
    }
    return v;
  }
}
