package io.multiraft.sim;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotData;
import io.multiraft.spi.SnapshotSink;
import io.multiraft.spi.SnapshotStreams;
import io.multiraft.spi.Transport.Inbound;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshot payloads across the simulated network, with a real transport's ownership: the send gives
 * its reference to the sender's data back at once (the data is read whole when sent), and every
 * delivery hands the receiver a payload of its own: staged through the receiver's
 * {@link SnapshotSink} when it has one (as the network transport does), else bytes. A duplicated
 * frame therefore never hands two receivers, or one receiver twice, the same reference.
 */
final class SimSnapshots {
  private static final int CHUNK = 64 * 1024;

  private SimSnapshots() {}

  /** The messages as sent: chunked snapshot data read into bytes and the send's reference released. */
  static List<Message> detach(List<Message> msgs) {
    List<Message> out = msgs;
    for (int i = 0; i < msgs.size(); i++) {
      Message m = msgs.get(i);
      if (isChunked(m)) {
        if (out == msgs) {
          out = new ArrayList<>(msgs);
        }
        byte[] data;
        try {
          data = SnapshotStreams.readAll(m.snapshot.payload());
        } finally {
          m.snapshot.payload().release();
        }
        out.set(i, with(m, new SnapshotData.Bytes(data)));
      }
    }
    return out;
  }

  /**
   * The messages as one delivery hands them to {@code in}: snapshot bytes staged through its sink. A
   * snapshot the sink refuses is left out and listed in {@code refused}.
   */
  static List<Message> deliver(Inbound in, long from, List<Message> msgs, List<Message> refused) {
    SnapshotSink sink = in.snapshotSink();
    if (sink == null) {
      return msgs;
    }
    List<Message> out = msgs;
    for (int i = 0; i < msgs.size(); i++) {
      Message m = msgs.get(i);
      if (m.type != MessageType.SNAPSHOT || m.snapshot == null || !(m.snapshot.payload() instanceof SnapshotData.Bytes b)) {
        continue;
      }
      if (out == msgs) {
        out = new ArrayList<>(msgs);
      }
      SnapshotData staged = stage(sink, m, from, b.data());
      if (staged == null) {
        refused.add(m);
        out.set(i, null);
      } else {
        out.set(i, with(m, staged));
      }
    }
    if (out != msgs) {
      out.removeIf(java.util.Objects::isNull);
    }
    return out;
  }

  private static SnapshotData stage(SnapshotSink sink, Message m, long from, byte[] data) {
    SnapshotSink.Receiving r;
    try {
      r = sink.begin(m.groupId, m.snapshot.meta(), from);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    try {
      for (int at = 0; at < data.length; at += CHUNK) {
        r.chunk(ByteBuffer.wrap(data, at, Math.min(CHUNK, data.length - at)));
      }
      return r.complete();
    } catch (IOException | RuntimeException e) {
      r.abort();
      return null;
    }
  }

  private static boolean isChunked(Message m) {
    return m.type == MessageType.SNAPSHOT && m.snapshot != null && !(m.snapshot.payload() instanceof SnapshotData.Bytes);
  }

  private static Message with(Message m, SnapshotData data) {
    return new Message(m.groupId, m.type, m.from, m.to, m.term, m.logTerm, m.index, m.entries, m.commit, m.reject,
        m.rejectHint, new Snapshot(m.snapshot.meta(), data), m.context);
  }
}
