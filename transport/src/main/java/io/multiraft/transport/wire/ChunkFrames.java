package io.multiraft.transport.wire;

import static com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag;
import static com.google.protobuf.CodedOutputStream.computeUInt64SizeNoTag;

import io.multiraft.transport.proto.Frame;
import io.multiraft.transport.proto.SnapshotChunk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Snapshot chunk frames, by hand so that the data is never copied: the sender writes a small
 * header and then the snapshot's own bytes (a wrapped slice); the receiver gets a slice of the
 * received frame that goes straight to the file.
 */
public final class ChunkFrames {
  private static final int FRAME_TAG = WireTags.lengthDelimited(Frame.SNAPSHOT_CHUNK_FIELD_NUMBER);
  private static final int TRANSFER_TAG = WireTags.varint(SnapshotChunk.TRANSFER_ID_FIELD_NUMBER);
  private static final int OFFSET_TAG = WireTags.varint(SnapshotChunk.OFFSET_FIELD_NUMBER);
  private static final int DATA_TAG = WireTags.lengthDelimited(SnapshotChunk.DATA_FIELD_NUMBER);
  /** fixed32: wire type 5. Written before the data, so the data can follow the header as it is. */
  private static final int CRC_TAG = (SnapshotChunk.CRC32C_FIELD_NUMBER << 3) | 5;
  private static final int CRC_FIELD_BYTES = 1 + 4;

  private ChunkFrames() {}

  /** A received chunk; {@code data} is a retained slice of the frame that the receiver releases. */
  public record Chunk(long transferId, long offset, int crc32c, ByteBuf data) {}

  /** Everything of a chunk frame before its {@code dataBytes} of data (length prefix included). */
  public static ByteBuf header(ByteBufAllocator alloc, long transferId, long offset, int dataBytes, int crc32c) {
    if (dataBytes <= 0) {
      throw new IllegalArgumentException("a chunk carries data, got " + dataBytes + " bytes");
    }
    int dataField = 1 + computeUInt32SizeNoTag(dataBytes) + dataBytes;
    int chunk = uint64Field(transferId) + uint64Field(offset) + CRC_FIELD_BYTES + dataField;
    int body = 1 + computeUInt32SizeNoTag(chunk) + chunk;
    ByteBuf buf = alloc.ioBuffer(32);
    buf.writeInt(body);
    writeVarint(buf, FRAME_TAG);
    writeVarint(buf, chunk);
    if (transferId != 0) {
      writeVarint(buf, TRANSFER_TAG);
      writeVarint(buf, transferId);
    }
    if (offset != 0) {
      writeVarint(buf, OFFSET_TAG);
      writeVarint(buf, offset);
    }
    writeVarint(buf, CRC_TAG);
    buf.writeIntLE(crc32c);
    writeVarint(buf, DATA_TAG);
    writeVarint(buf, dataBytes);
    return buf;
  }

  /** Bytes of a whole chunk frame carrying {@code dataBytes}, length prefix included. */
  public static int frameBytes(long transferId, long offset, int dataBytes) {
    int chunk = uint64Field(transferId) + uint64Field(offset) + CRC_FIELD_BYTES + 1 + computeUInt32SizeNoTag(dataBytes)
        + dataBytes;
    return WireConstants.LENGTH_PREFIX_BYTES + 1 + computeUInt32SizeNoTag(chunk) + chunk;
  }

  public static Chunk decode(ByteBuf body) throws ProtocolException {
    WireInput in = new WireInput(body);
    in.enterBody(Frame.SNAPSHOT_CHUNK_FIELD_NUMBER);
    long transferId = 0;
    long offset = 0;
    int dataIndex = -1;
    int dataLength = 0;
    int crc = 0; // proto3: an absent field is zero
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == TRANSFER_TAG) {
        transferId = in.readVarint64();
      } else if (tag == OFFSET_TAG) {
        offset = in.readCount("chunk offset");
      } else if (tag == CRC_TAG) {
        crc = in.readFixed32();
      } else if (tag == DATA_TAG) {
        int length = in.readLength();
        if (dataIndex >= 0 || length == 0) {
          throw new ProtocolException("chunk data field repeated or empty");
        }
        dataIndex = in.index();
        dataLength = length;
        in.skip(length);
      } else {
        in.skipField(tag);
      }
    }
    if (dataIndex < 0) {
      throw new ProtocolException("chunk without data");
    }
    return new Chunk(transferId, offset, crc, body.retainedSlice(dataIndex, dataLength));
  }

  private static int uint64Field(long v) {
    return v == 0 ? 0 : 1 + computeUInt64SizeNoTag(v);
  }

  private static void writeVarint(ByteBuf buf, long v) {
    while ((v & ~0x7FL) != 0) {
      buf.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    buf.writeByte((int) v);
  }
}
