package io.multiraft.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A write to the simulated key-value state machine: PUT key value, or CAS key expected new. */
record KvCommand(boolean cas, String key, long value, Long expected) {
  byte[] encode() {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1 + 2 + k.length + 8 + 1 + 8);
    b.put((byte) (cas ? 1 : 0)).putShort((short) k.length).put(k).putLong(value);
    b.put((byte) (expected == null ? 0 : 1)).putLong(expected == null ? 0 : expected);
    return b.array();
  }

  static KvCommand decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    boolean cas = b.get() == 1;
    byte[] k = new byte[b.getShort()];
    b.get(k);
    long value = b.getLong();
    boolean hasExpected = b.get() == 1;
    long expected = b.getLong();
    return new KvCommand(cas, new String(k, StandardCharsets.UTF_8), value, hasExpected ? expected : null);
  }
}
