package io.multiraft.transport.wire;

import io.netty.buffer.ByteBuf;

/**
 * Reads protobuf wire format straight from a {@link ByteBuf}, pooled direct memory included
 * (protobuf's own CodedInputStream copies a direct buffer into an array first). Every length is
 * checked against the bytes that are actually there before it is used, and anything malformed is a
 * {@link ProtocolException}. Reading never moves the buffer's own indexes.
 */
final class WireInput {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final ByteBuf buf;
  private int pos;
  private int limit;

  WireInput(ByteBuf buf) {
    this.buf = buf;
    this.pos = buf.readerIndex();
    this.limit = buf.writerIndex();
  }

  /** The absolute index in the buffer of the next byte. */
  int index() {
    return pos;
  }

  boolean isAtEnd() {
    return pos >= limit;
  }

  long readVarint64() throws ProtocolException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new ProtocolException("truncated varint");
      }
      byte b = buf.getByte(pos++);
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new ProtocolException("malformed varint (longer than 10 bytes)");
  }

  /** A uint64 that must fit a non-negative long (terms, indexes, group ids). */
  long readCount(String what) throws ProtocolException {
    long v = readVarint64();
    if (v < 0) {
      throw new ProtocolException(what + " out of range: " + Long.toUnsignedString(v));
    }
    return v;
  }

  long readSInt64() throws ProtocolException {
    long n = readVarint64();
    return (n >>> 1) ^ -(n & 1);
  }

  boolean readBool() throws ProtocolException {
    return readVarint64() != 0;
  }

  int readEnum() throws ProtocolException {
    long v = readVarint64();
    return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /** The next tag; field numbers start at 1. */
  int readTag() throws ProtocolException {
    long tag = readVarint64();
    if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
      throw new ProtocolException("invalid tag " + Long.toUnsignedString(tag));
    }
    return (int) tag;
  }

  /** A length prefix, checked against what is left before the current limit. */
  int readLength() throws ProtocolException {
    long length = readVarint64();
    if (length < 0 || length > limit - pos) {
      throw new ProtocolException("length " + Long.toUnsignedString(length) + " exceeds the " + (limit - pos)
          + " bytes left");
    }
    return (int) length;
  }

  /** Reads a length and limits reading to it; returns the old limit for {@link #popLimit}. */
  int pushLength() throws ProtocolException {
    int length = readLength();
    int old = limit;
    limit = pos + length;
    return old;
  }

  void popLimit(int old) throws ProtocolException {
    if (pos != limit) {
      throw new ProtocolException("embedded message ended " + (limit - pos) + " bytes early");
    }
    limit = old;
  }

  byte[] readBytes() throws ProtocolException {
    int length = readLength();
    byte[] b = new byte[length];
    buf.getBytes(pos, b);
    pos += length;
    return b;
  }

  int readFixed32() throws ProtocolException {
    if (limit - pos < 4) {
      throw new ProtocolException("truncated fixed32");
    }
    int v = buf.getIntLE(pos);
    pos += 4;
    return v;
  }

  void skip(int n) throws ProtocolException {
    if (n < 0 || n > limit - pos) {
      throw new ProtocolException("truncated field");
    }
    pos += n;
  }

  /** Skips a field of a newer peer; groups are refused (our schema has none; they nest without bound). */
  void skipField(int tag) throws ProtocolException {
    switch (tag & 7) {
      case VARINT -> readVarint64();
      case FIXED64 -> skip(8);
      case LENGTH_DELIMITED -> skip(readLength());
      case FIXED32 -> skip(4);
      default -> throw new ProtocolException("unsupported wire type " + (tag & 7) + " in field " + (tag >>> 3));
    }
  }

  /** How many complete varints the bytes up to the current limit hold (bytes without the continuation bit). */
  int countVarints() {
    int n = 0;
    for (int i = pos; i < limit; i++) {
      if (buf.getByte(i) >= 0) {
        n++;
      }
    }
    return n;
  }

  /**
   * Positions at the payload of the frame's single body field, which must be {@code field} and
   * must end exactly where the frame ends.
   */
  void enterBody(int field) throws ProtocolException {
    int tag = readTag();
    if (tag != WireTags.lengthDelimited(field)) {
      throw new ProtocolException("expected a " + FrameKind.name(field) + " frame, got tag " + tag);
    }
    int length = readLength();
    if (length != limit - pos) {
      throw new ProtocolException("frame body field of " + length + " bytes does not fill the frame");
    }
  }
}
