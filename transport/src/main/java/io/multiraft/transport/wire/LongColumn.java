package io.multiraft.transport.wire;

import java.util.Arrays;

/** A repeated varint field being read, packed or not. Sized from the bytes actually present. */
final class LongColumn {
  private long[] values = new long[0];
  private int size;

  void read(WireInput in, int tag, boolean zigZag) throws ProtocolException {
    int wireType = tag & 7;
    if (wireType == WireInput.VARINT) {
      grow(1);
      values[size++] = zigZag ? in.readSInt64() : in.readVarint64();
    } else if (wireType == WireInput.LENGTH_DELIMITED) {
      int limit = in.pushLength();
      grow(in.countVarints());
      while (!in.isAtEnd()) {
        long v = zigZag ? in.readSInt64() : in.readVarint64();
        values[size++] = v;
      }
      in.popLimit(limit);
    } else {
      throw new ProtocolException("heartbeat column with wire type " + wireType);
    }
  }

  private void grow(int more) {
    if (size + more > values.length) {
      values = Arrays.copyOf(values, size + more);
    }
  }

  int size() {
    return size;
  }

  long get(int i) {
    return values[i];
  }
}
