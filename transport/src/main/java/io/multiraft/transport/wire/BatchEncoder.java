package io.multiraft.transport.wire;

import static com.google.protobuf.CodedOutputStream.computeSInt64SizeNoTag;
import static com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag;
import static com.google.protobuf.CodedOutputStream.computeUInt64SizeNoTag;

import com.google.protobuf.CodedOutputStream;
import io.multiraft.core.Entry;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.transport.proto.Batch;
import io.multiraft.transport.proto.Frame;
import io.multiraft.transport.proto.LogEntry;
import io.multiraft.transport.proto.RaftMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Builds one Batch frame of messages of many groups for one destination node, then writes it into
 * one pooled buffer of exactly its size: sizes are computed as messages are added, so encoding is
 * a single pass with no intermediate per-message buffers. Plain heartbeats and responses go to the
 * coalesced columns. Reused frame after frame by one thread.
 */
public final class BatchEncoder {
  private static final int FRAME_BATCH_TAG = WireTags.lengthDelimited(Frame.BATCH_FIELD_NUMBER);
  private static final int MESSAGE_TAG = WireTags.lengthDelimited(Batch.MESSAGES_FIELD_NUMBER);
  // the largest growth of the frame by one heartbeat entry: four 10-byte varints, plus length
  // prefixes that may each gain a byte (four columns, the section, the batch, the frame body)
  private static final int MAX_HEARTBEAT_ENTRY_BYTES = 4 * 10 + 7;

  private final int maxFrameBytes;
  private final ArrayList<Message> messages = new ArrayList<>();
  private int[] messageSizes = new int[64];
  private long messageBytes; // Σ tag + length + body over messages
  private final HeartbeatColumns heartbeats = new HeartbeatColumns();
  private final HeartbeatColumns responses = new HeartbeatColumns();
  private int merged;

  /** @param maxFrameBytes the largest frame (length prefix included) the receiver accepts */
  public BatchEncoder(int maxFrameBytes) {
    if (maxFrameBytes < 64) {
      throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** A heartbeat (or response) that carries nothing but group, term, commit and context. */
  public static boolean coalescable(Message m) {
    return (m.type == MessageType.HEARTBEAT || m.type == MessageType.HEARTBEAT_RESPONSE)
        && m.logTerm == 0 && m.index == 0 && m.entries.isEmpty() && !m.reject && m.rejectHint == 0
        && m.snapshot == null && m.groupId >= 0 && m.term >= 0 && m.commit >= 0;
  }

  /**
   * Adds a message unless the frame would exceed the maximum; then nothing is added and the caller
   * encodes this frame first. A message that does not fit even an empty frame can never be sent.
   */
  public boolean add(Message m) {
    if (m.type == MessageType.SNAPSHOT) {
      throw new IllegalArgumentException("snapshots travel on the snapshot channel, not in a batch");
    }
    if (coalescable(m)) {
      if (encodedBytes() + MAX_HEARTBEAT_ENTRY_BYTES > maxFrameBytes) {
        return false;
      }
      HeartbeatColumns columns = m.type == MessageType.HEARTBEAT ? heartbeats : responses;
      if (!columns.add(m.groupId, m.term, m.commit, m.context)) {
        merged++;
      }
      return true;
    }
    int size = messageBodySize(m);
    long grown = messageBytes + 1 + computeUInt32SizeNoTag(size) + size;
    if (size < 0 || frameBytes(grown) > maxFrameBytes) {
      return false;
    }
    int i = messages.size();
    if (i == messageSizes.length) {
      messageSizes = Arrays.copyOf(messageSizes, i * 2);
    }
    messageSizes[i] = size;
    messages.add(m);
    messageBytes = grown;
    return true;
  }

  public boolean isEmpty() {
    return messages.isEmpty() && heartbeats.isEmpty() && responses.isEmpty();
  }

  /** Messages and heartbeat entries that will be on the wire. */
  public int entries() {
    return messages.size() + heartbeats.count() + responses.count();
  }

  public int heartbeatEntries() {
    return heartbeats.count() + responses.count();
  }

  /** Heartbeats merged into an earlier one of the same group since the last reset. */
  public int merged() {
    return merged;
  }

  /** The frame's size, length prefix included. */
  public int encodedBytes() {
    return (int) frameBytes(messageBytes);
  }

  private long frameBytes(long messagesPart) {
    long batch = messagesPart + heartbeats.sectionSize() + responses.sectionSize();
    return WireConstants.LENGTH_PREFIX_BYTES + 1 + computeUInt32SizeNoTag((int) Math.min(batch, Integer.MAX_VALUE)) + batch;
  }

  /** Writes the frame (length prefix included) into a new buffer from {@code alloc} and resets. */
  public ByteBuf encode(ByteBufAllocator alloc) {
    int total = encodedBytes();
    int body = total - WireConstants.LENGTH_PREFIX_BYTES;
    ByteBuf buf = alloc.ioBuffer(total, total);
    try {
      buf.writeInt(body);
      CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBuffer(WireConstants.LENGTH_PREFIX_BYTES, body));
      int batch = (int) (messageBytes + heartbeats.sectionSize() + responses.sectionSize());
      out.writeUInt32NoTag(FRAME_BATCH_TAG);
      out.writeUInt32NoTag(batch);
      for (int i = 0; i < messages.size(); i++) {
        out.writeUInt32NoTag(MESSAGE_TAG);
        out.writeUInt32NoTag(messageSizes[i]);
        writeMessage(out, messages.get(i));
      }
      heartbeats.writeSection(out, Batch.HEARTBEATS_FIELD_NUMBER);
      responses.writeSection(out, Batch.HEARTBEAT_RESPONSES_FIELD_NUMBER);
      out.flush();
      if (out.spaceLeft() != 0) {
        throw new IllegalStateException("batch size computed " + body + " bytes but wrote " + (body - out.spaceLeft()));
      }
      buf.writerIndex(total);
      reset();
      return buf;
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException("encoding overran its exactly sized buffer", e);
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  public void reset() {
    messages.clear();
    messageBytes = 0;
    heartbeats.reset();
    responses.reset();
    merged = 0;
  }

  // ---------------------------------------------------------------- RaftMessage

  private static final int GROUP = RaftMessage.GROUP_FIELD_NUMBER;
  private static final int TYPE = RaftMessage.TYPE_FIELD_NUMBER;
  private static final int TERM = RaftMessage.TERM_FIELD_NUMBER;
  private static final int LOG_TERM = RaftMessage.LOG_TERM_FIELD_NUMBER;
  private static final int INDEX = RaftMessage.INDEX_FIELD_NUMBER;
  private static final int ENTRIES = RaftMessage.ENTRIES_FIELD_NUMBER;
  private static final int COMMIT = RaftMessage.COMMIT_FIELD_NUMBER;
  private static final int REJECT = RaftMessage.REJECT_FIELD_NUMBER;
  private static final int REJECT_HINT = RaftMessage.REJECT_HINT_FIELD_NUMBER;
  private static final int CONTEXT = RaftMessage.CONTEXT_FIELD_NUMBER;

  /** Bytes of a RaftMessage body; every field number is below 16, so every tag is one byte. */
  static int messageBodySize(Message m) {
    long size = uint64Field(m.groupId) + 1 + computeUInt32SizeNoTag(WireTypes.of(m.type))
        + uint64Field(m.term) + uint64Field(m.logTerm) + uint64Field(m.index);
    for (int i = 0; i < m.entries.size(); i++) {
      int e = entryBodySize(m.entries.get(i));
      size += 1 + computeUInt32SizeNoTag(e) + e;
    }
    size += uint64Field(m.commit) + (m.reject ? 2 : 0) + uint64Field(m.rejectHint);
    if (m.context != 0) {
      size += 1 + computeSInt64SizeNoTag(m.context);
    }
    return size > Integer.MAX_VALUE ? -1 : (int) size;
  }

  static void writeMessage(CodedOutputStream out, Message m) throws IOException {
    writeUInt64(out, GROUP, m.groupId);
    out.writeUInt32NoTag(WireTags.varint(TYPE));
    out.writeUInt32NoTag(WireTypes.of(m.type));
    writeUInt64(out, TERM, m.term);
    writeUInt64(out, LOG_TERM, m.logTerm);
    writeUInt64(out, INDEX, m.index);
    for (int i = 0; i < m.entries.size(); i++) {
      Entry e = m.entries.get(i);
      out.writeUInt32NoTag(WireTags.lengthDelimited(ENTRIES));
      out.writeUInt32NoTag(entryBodySize(e));
      writeEntry(out, e);
    }
    writeUInt64(out, COMMIT, m.commit);
    if (m.reject) {
      out.writeUInt32NoTag(WireTags.varint(REJECT));
      out.writeUInt32NoTag(1);
    }
    writeUInt64(out, REJECT_HINT, m.rejectHint);
    if (m.context != 0) {
      out.writeUInt32NoTag(WireTags.varint(CONTEXT));
      out.writeSInt64NoTag(m.context);
    }
  }

  static int entryBodySize(Entry e) {
    int data = e.data().length;
    return uint64Field(e.term()) + uint64Field(e.index()) + 1 + computeUInt32SizeNoTag(WireTypes.of(e.type()))
        + (data == 0 ? 0 : 1 + computeUInt32SizeNoTag(data) + data);
  }

  private static void writeEntry(CodedOutputStream out, Entry e) throws IOException {
    writeUInt64(out, LogEntry.TERM_FIELD_NUMBER, e.term());
    writeUInt64(out, LogEntry.INDEX_FIELD_NUMBER, e.index());
    out.writeUInt32NoTag(WireTags.varint(LogEntry.TYPE_FIELD_NUMBER));
    out.writeUInt32NoTag(WireTypes.of(e.type()));
    byte[] data = e.data();
    if (data.length > 0) {
      out.writeUInt32NoTag(WireTags.lengthDelimited(LogEntry.DATA_FIELD_NUMBER));
      out.writeUInt32NoTag(data.length);
      out.writeRawBytes(data);
    }
  }

  private static int uint64Field(long v) {
    return v == 0 ? 0 : 1 + computeUInt64SizeNoTag(v);
  }

  private static void writeUInt64(CodedOutputStream out, int field, long v) throws IOException {
    if (v != 0) {
      out.writeUInt32NoTag(WireTags.varint(field));
      out.writeUInt64NoTag(v);
    }
  }
}
