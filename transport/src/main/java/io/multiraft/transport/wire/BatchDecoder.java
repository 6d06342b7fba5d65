package io.multiraft.transport.wire;

import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.transport.proto.Batch;
import io.multiraft.transport.proto.Frame;
import io.multiraft.transport.proto.Heartbeats;
import io.multiraft.transport.proto.LogEntry;
import io.multiraft.transport.proto.RaftMessage;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Batch frame straight into the core's {@link Message}s: no intermediate protobuf objects,
 * one copy of each entry's payload. {@code from}/{@code to} come from the connection. Anything that
 * breaks the schema or our limits is a {@link ProtocolException}; nothing is allocated from a
 * length or count before the bytes behind it have been seen.
 */
public final class BatchDecoder {
  private BatchDecoder() {}

  /** Appends the frame's messages to {@code out}; returns how many were coalesced heartbeat entries. */
  public static int decode(ByteBuf body, long from, long to, List<Message> out) throws ProtocolException {
    int start = out.size();
    try {
      WireInput in = new WireInput(body);
      in.enterBody(Frame.BATCH_FIELD_NUMBER);
      int heartbeatEntries = 0;
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (tag == MESSAGE_TAG) {
          int limit = in.pushLength();
          out.add(readMessage(in, from, to));
          in.popLimit(limit);
        } else if (tag == HEARTBEATS_TAG) {
          heartbeatEntries += readHeartbeats(in, MessageType.HEARTBEAT, from, to, out);
        } else if (tag == RESPONSES_TAG) {
          heartbeatEntries += readHeartbeats(in, MessageType.HEARTBEAT_RESPONSE, from, to, out);
        } else {
          in.skipField(tag);
        }
      }
      return heartbeatEntries;
    } catch (ProtocolException e) {
      while (out.size() > start) {
        out.remove(out.size() - 1);
      }
      throw e;
    }
  }

  private static final int MESSAGE_TAG = WireTags.lengthDelimited(Batch.MESSAGES_FIELD_NUMBER);
  private static final int HEARTBEATS_TAG = WireTags.lengthDelimited(Batch.HEARTBEATS_FIELD_NUMBER);
  private static final int RESPONSES_TAG = WireTags.lengthDelimited(Batch.HEARTBEAT_RESPONSES_FIELD_NUMBER);

  /** Reads a RaftMessage body up to the current limit. */
  static Message readMessage(WireInput in, long from, long to) throws ProtocolException {
    long group = 0;
    int type = 0;
    long term = 0;
    long logTerm = 0;
    long index = 0;
    List<Entry> entries = null;
    long commit = 0;
    boolean reject = false;
    long rejectHint = 0;
    long context = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (tag) {
        case RaftMessage.GROUP_FIELD_NUMBER << 3 -> group = in.readCount("group");
        case RaftMessage.TYPE_FIELD_NUMBER << 3 -> type = in.readEnum();
        case RaftMessage.TERM_FIELD_NUMBER << 3 -> term = in.readCount("term");
        case RaftMessage.LOG_TERM_FIELD_NUMBER << 3 -> logTerm = in.readCount("log term");
        case RaftMessage.INDEX_FIELD_NUMBER << 3 -> index = in.readCount("index");
        case (RaftMessage.ENTRIES_FIELD_NUMBER << 3) | WireInput.LENGTH_DELIMITED -> {
          if (entries == null) {
            entries = new ArrayList<>(2);
          }
          int limit = in.pushLength();
          entries.add(readEntry(in));
          in.popLimit(limit);
        }
        case RaftMessage.COMMIT_FIELD_NUMBER << 3 -> commit = in.readCount("commit");
        case RaftMessage.REJECT_FIELD_NUMBER << 3 -> reject = in.readBool();
        case RaftMessage.REJECT_HINT_FIELD_NUMBER << 3 -> rejectHint = in.readCount("reject hint");
        case RaftMessage.CONTEXT_FIELD_NUMBER << 3 -> context = in.readSInt64();
        default -> in.skipField(tag);
      }
    }
    MessageType t = WireTypes.messageType(type);
    if (t == MessageType.SNAPSHOT) {
      throw new ProtocolException("a snapshot inside a batch (snapshots have their own channel)");
    }
    return new Message(group, t, from, to, term, logTerm, index, entries, commit, reject, rejectHint, null, context);
  }

  private static Entry readEntry(WireInput in) throws ProtocolException {
    long term = 0;
    long index = 0;
    int type = 0;
    byte[] data = null;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (tag) {
        case LogEntry.TERM_FIELD_NUMBER << 3 -> term = in.readCount("entry term");
        case LogEntry.INDEX_FIELD_NUMBER << 3 -> index = in.readCount("entry index");
        case LogEntry.TYPE_FIELD_NUMBER << 3 -> type = in.readEnum();
        case (LogEntry.DATA_FIELD_NUMBER << 3) | WireInput.LENGTH_DELIMITED -> data = in.readBytes();
        default -> in.skipField(tag);
      }
    }
    return new Entry(term, index, WireTypes.entryType(type), data);
  }

  /** Reads a Heartbeats section and appends one message per entry; returns the entry count. */
  private static int readHeartbeats(WireInput in, MessageType type, long from, long to, List<Message> out)
      throws ProtocolException {
    int limit = in.pushLength();
    LongColumn groups = new LongColumn();
    LongColumn terms = new LongColumn();
    LongColumn commits = new LongColumn();
    LongColumn contexts = new LongColumn();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      LongColumn column = switch (field) {
        case Heartbeats.GROUP_FIELD_NUMBER -> groups;
        case Heartbeats.TERM_FIELD_NUMBER -> terms;
        case Heartbeats.COMMIT_FIELD_NUMBER -> commits;
        case Heartbeats.CONTEXT_FIELD_NUMBER -> contexts;
        default -> null;
      };
      if (column == null) {
        in.skipField(tag);
      } else {
        column.read(in, tag, field == Heartbeats.CONTEXT_FIELD_NUMBER);
      }
    }
    in.popLimit(limit);
    int n = groups.size();
    if (terms.size() != n || (commits.size() != 0 && commits.size() != n) || (contexts.size() != 0 && contexts.size() != n)) {
      throw new ProtocolException("heartbeat columns of different lengths: groups=" + n + " terms=" + terms.size()
          + " commits=" + commits.size() + " contexts=" + contexts.size());
    }
    for (int i = 0; i < n; i++) {
      long group = nonNegative(groups.get(i), "heartbeat group");
      long term = nonNegative(terms.get(i), "heartbeat term");
      long commit = commits.size() == 0 ? 0 : nonNegative(commits.get(i), "heartbeat commit");
      long context = contexts.size() == 0 ? 0 : contexts.get(i);
      out.add(new Message(group, type, from, to, term, 0, 0, null, commit, false, 0, null, context));
    }
    return n;
  }

  private static long nonNegative(long v, String what) throws ProtocolException {
    if (v < 0) {
      throw new ProtocolException(what + " out of range: " + Long.toUnsignedString(v));
    }
    return v;
  }
}
