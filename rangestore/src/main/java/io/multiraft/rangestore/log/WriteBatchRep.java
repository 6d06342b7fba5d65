package io.multiraft.rangestore.log;

import java.util.Arrays;


/**
 * RocksDB's serialized WriteBatch (its "rep", also the WAL record format), built in Java: a 12-byte
 * header (sequence, fixed64, filled in by RocksDB; record count, fixed32, little-endian), then one
 * record per operation: a type byte, the column family id as a varint32, then length-prefixed key
 * and value (or range begin and end).
 *
 * <p>Why: the raft workers encode their entries' records when they fill a batch, in parallel; the
 * single writer then only copies bytes and hands RocksDB one array ({@code new WriteBatch(byte[])},
 * one JNI call) instead of making one JNI call per entry. {@code WriteBatchRepTest} checks the
 * encoding against RocksDB's own, so a format change in a RocksDB upgrade fails a test, not a node.
 */
final class WriteBatchRep {
  static final int HEADER_BYTES = 12;
  private static final byte TYPE_VALUE = 0x1;
  private static final byte TYPE_CF_VALUE = 0x5;
  private static final byte TYPE_CF_RANGE_DELETION = 0xE;
  private static final byte TYPE_RANGE_DELETION = 0xF;

  /**
   * The batch as pieces in order, copied once into an exact-size array by {@link #toBytes}: pieces
   * of the workers' pre-encoded records are referenced, not copied, and small records are encoded
   * into {@code scratch} chunks (never reallocated, so references into them stay valid).
   */
  private Object[] pieceSrc = new Object[64];
  private int[] pieceFrom = new int[64];
  private int[] pieceLen = new int[64];
  private int pieces;
  private byte[] scratch;
  private int scratchUsed;
  private int len = HEADER_BYTES;
  private int count;

  WriteBatchRep(int scratchBytes) {
    scratch = new byte[Math.max(256, scratchBytes)];
  }

  /** Empties the batch, keeping its buffers. */
  void reset() {
    Arrays.fill(pieceSrc, 0, pieces, null);
    pieces = 0;
    scratchUsed = 0;
    len = HEADER_BYTES;
    count = 0;
  }

  void put(int cfId, byte[] key, byte[] value) {
    int at = reserve(putBytes(cfId, key, value));
    int end = encodePut(scratch, at, cfId, key, value);
    addPiece(scratch, at, end - at);
    count++;
  }

  void deleteRange(int cfId, byte[] begin, byte[] end) {
    int start = reserve(1 + 5 + 10 + begin.length + end.length);
    int at = start;
    if (cfId == 0) {
      scratch[at++] = TYPE_RANGE_DELETION;
    } else {
      scratch[at++] = TYPE_CF_RANGE_DELETION;
      at = varint32(scratch, at, cfId);
    }
    at = bytes(scratch, at, begin);
    at = bytes(scratch, at, end);
    addPiece(scratch, start, at - start);
    count++;
  }

  /** Appends {@code records} already encoded by {@link #encodePut}: bytes [from, to) of {@code src}, not copied yet. */
  void appendEncoded(byte[] src, int from, int to, int records) {
    addPiece(src, from, to - from);
    count += records;
  }

  int count() {
    return count;
  }

  int sizeBytes() {
    return len;
  }

  /** The serialized batch, with its record count set, for {@code new WriteBatch(byte[])}. */
  byte[] toBytes() {
    byte[] out = new byte[len];
    out[8] = (byte) count;
    out[9] = (byte) (count >>> 8);
    out[10] = (byte) (count >>> 16);
    out[11] = (byte) (count >>> 24);
    int at = HEADER_BYTES;
    for (int i = 0; i < pieces; i++) {
      System.arraycopy((byte[]) pieceSrc[i], pieceFrom[i], out, at, pieceLen[i]);
      at += pieceLen[i];
    }
    return out;
  }

  private int reserve(int bytes) {
    if (scratchUsed + bytes > scratch.length) {
      scratch = new byte[Math.max(scratch.length, bytes)]; // a new chunk: earlier pieces keep the old one
      scratchUsed = 0;
    }
    int at = scratchUsed;
    scratchUsed += bytes;
    return at;
  }

  private void addPiece(byte[] src, int from, int length) {
    if (length == 0) {
      return;
    }
    if (pieces == pieceSrc.length) {
      pieceSrc = Arrays.copyOf(pieceSrc, pieces * 2);
      pieceFrom = Arrays.copyOf(pieceFrom, pieces * 2);
      pieceLen = Arrays.copyOf(pieceLen, pieces * 2);
    }
    pieceSrc[pieces] = src;
    pieceFrom[pieces] = from;
    pieceLen[pieces] = length;
    pieces++;
    len += length;
  }

  /** The most bytes {@link #encodePut} writes for this record. */
  static int putBytes(int cfId, byte[] key, byte[] value) {
    return 1 + 5 + 5 + key.length + 5 + value.length;
  }

  /** Encodes one put record at {@code at}; returns the offset after it. */
  static int encodePut(byte[] dst, int at, int cfId, byte[] key, byte[] value) {
    if (cfId == 0) {
      dst[at++] = TYPE_VALUE;
    } else {
      dst[at++] = TYPE_CF_VALUE;
      at = varint32(dst, at, cfId);
    }
    at = bytes(dst, at, key);
    return bytes(dst, at, value);
  }

  /** Bytes of a put record whose key and value have these lengths. */
  static int putBytes(int cfId, int keyLength, int valueLength) {
    return 1 + (cfId == 0 ? 0 : varint32Size(cfId)) + varint32Size(keyLength) + keyLength + varint32Size(valueLength) + valueLength;
  }

  /** Writes a put record's type and column family; the length-prefixed key and value follow. */
  static int putRecordStart(byte[] dst, int at, int cfId) {
    if (cfId == 0) {
      dst[at++] = TYPE_VALUE;
      return at;
    }
    dst[at++] = TYPE_CF_VALUE;
    return varint32(dst, at, cfId);
  }

  static int varint32Size(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static int bytes(byte[] dst, int at, byte[] b) {
    at = varint32(dst, at, b.length);
    System.arraycopy(b, 0, dst, at, b.length);
    return at + b.length;
  }

  static int varint32(byte[] dst, int at, int v) {
    while ((v & ~0x7F) != 0) {
      dst[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    dst[at++] = (byte) v;
    return at;
  }
}
