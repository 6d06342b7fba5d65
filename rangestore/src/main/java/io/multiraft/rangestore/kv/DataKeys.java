package io.multiraft.rangestore.kv;

import java.util.Arrays;

/**
 * Layout of the {@code data} column family, shared by every range of the node. User keys are
 * stored under one prefix in their own order, so a range owns a contiguous span and a split moves
 * no data; each range's state record (applied index, membership, descriptor) lives under another.
 */
public final class DataKeys {
  static final byte USER = 'u';
  static final byte STATE = 's';
  static final byte LOCAL = 'l';
  static final byte TOMBSTONE = 't';
  static final byte FORMER = 'h';

  private DataKeys() {}

  public static byte[] user(byte[] key) {
    byte[] out = new byte[key.length + 1];
    out[0] = USER;
    System.arraycopy(key, 0, out, 1, key.length);
    return out;
  }

  /** The stored key just past a range's span; a null end (+infinity) maps to the end of the user prefix. */
  public static byte[] userEnd(byte[] endKey) {
    return endKey == null ? new byte[] {USER + 1} : user(endKey);
  }

  public static byte[] userKeyOf(byte[] stored) {
    return Arrays.copyOfRange(stored, 1, stored.length);
  }

  public static byte[] state(long rangeId) {
    byte[] out = new byte[9];
    out[0] = STATE;
    for (int i = 0; i < 8; i++) {
      out[1 + i] = (byte) (rangeId >>> (56 - 8 * i));
    }
    return out;
  }

  /** Marks a range merged away here, so neither a restart nor a late snapshot brings it back. */
  public static byte[] tombstone(long rangeId) {
    byte[] out = state(rangeId);
    out[0] = TOMBSTONE;
    return out;
  }

  /**
   * Marks that a replica of the range lived here and was dropped. Never deleted: unlike the
   * tombstone, which a replica added here again clears, it keeps saying that this node may have
   * acknowledged entries of the range that it no longer holds.
   */
  public static byte[] formerReplica(long rangeId) {
    byte[] out = state(rangeId);
    out[0] = FORMER;
    return out;
  }

  static byte[] stateStart() {
    return new byte[] {STATE};
  }

  static byte[] stateEnd() {
    return new byte[] {STATE + 1};
  }

  /** A node-local (not replicated) key, e.g. the range id allocator. */
  public static byte[] local(String name) {
    byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[n.length + 1];
    out[0] = LOCAL;
    System.arraycopy(n, 0, out, 1, n.length);
    return out;
  }
}
