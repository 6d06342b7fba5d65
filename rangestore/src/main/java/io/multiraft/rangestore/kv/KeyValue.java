package io.multiraft.rangestore.kv;

/** A user key and its value, as returned by scans. */
public record KeyValue(byte[] key, byte[] value) {
  @Override
  public String toString() {
    return io.multiraft.rangestore.range.Keys.show(key) + "=" + value.length + "B";
  }
}
