package io.multiraft.transport.wire;

/** Protobuf tags: field number and wire type in one varint. */
final class WireTags {
  private WireTags() {}

  static int lengthDelimited(int field) {
    return (field << 3) | WireInput.LENGTH_DELIMITED;
  }

  static int varint(int field) {
    return field << 3;
  }
}
