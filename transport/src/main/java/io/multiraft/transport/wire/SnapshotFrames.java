package io.multiraft.transport.wire;

import io.multiraft.core.ConfState;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotData;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.transport.proto.Frame;
import io.multiraft.transport.proto.RaftMessage;
import io.multiraft.transport.proto.SnapshotBegin;
import io.multiraft.transport.proto.SnapshotEnd;
import java.util.List;
import java.util.TreeSet;

/** The frames that open and close a snapshot transfer, and the SNAPSHOT message rebuilt from them. */
public final class SnapshotFrames {
  private SnapshotFrames() {}

  /** Opens the transfer of {@code m}'s snapshot: its header, metadata and data size. */
  public static Frame begin(long transferId, Message m) {
    if (m.type != MessageType.SNAPSHOT || m.snapshot == null) {
      throw new IllegalArgumentException("not a snapshot message: " + m);
    }
    SnapshotMeta meta = m.snapshot.meta();
    ConfState cs = meta.confState();
    RaftMessage header = RaftMessage.newBuilder()
        .setGroup(m.groupId)
        .setTypeValue(WireTypes.of(m.type))
        .setTerm(m.term)
        .setLogTerm(m.logTerm)
        .setIndex(m.index)
        .setCommit(m.commit)
        .setReject(m.reject)
        .setRejectHint(m.rejectHint)
        .setContext(m.context)
        .build();
    return Frame.newBuilder()
        .setSnapshotBegin(SnapshotBegin.newBuilder()
            .setTransferId(transferId)
            .setMessage(header)
            .setIndex(meta.index())
            .setTerm(meta.term())
            .setConfState(io.multiraft.transport.proto.ConfState.newBuilder()
                .addAllVoters(cs.voters())
                .addAllLearners(cs.learners())
                .addAllVotersOutgoing(cs.votersOutgoing())
                .addAllLearnersNext(cs.learnersNext())
                .setAutoLeave(cs.autoLeave()))
            .setDataBytes(Math.max(0, m.snapshot.payload().sizeBytes())))
        .build();
  }

  public static Frame end(long transferId, int crc32c, long dataBytes) {
    return Frame.newBuilder()
        .setSnapshotEnd(SnapshotEnd.newBuilder().setTransferId(transferId).setCrc32C(crc32c).setDataBytes(dataBytes))
        .build();
  }

  /** Checks what a begin frame announces before any file is created for it. */
  public static void validate(SnapshotBegin b, long maxSnapshotBytes) throws ProtocolException {
    RaftMessage h = b.getMessage();
    if (h.getTypeValue() != WireTypes.of(MessageType.SNAPSHOT)) {
      throw new ProtocolException("snapshot begin carries a message of type " + h.getTypeValue());
    }
    if (b.getDataBytes() < 0 || b.getDataBytes() > maxSnapshotBytes) {
      throw new ProtocolException("snapshot of " + Long.toUnsignedString(b.getDataBytes()) + " bytes exceeds the maximum of "
          + maxSnapshotBytes);
    }
    if (h.getGroup() < 0 || h.getTerm() < 0 || b.getIndex() <= 0 || b.getTerm() < 0) {
      throw new ProtocolException("snapshot begin with out-of-range group, term or index");
    }
    io.multiraft.transport.proto.ConfState cs = b.getConfState();
    if (cs.getVotersCount() == 0 && cs.getVotersOutgoingCount() == 0) {
      throw new ProtocolException("snapshot of group " + h.getGroup() + " without voters");
    }
  }

  /** The SNAPSHOT message as the sender's Raft built it, with the data the receiver stored. */
  public static Message message(SnapshotBegin b, long from, long to, byte[] data) {
    return message(b, from, to, SnapshotData.of(data));
  }

  /** The SNAPSHOT message with the payload the receiving side staged. */
  public static Message message(SnapshotBegin b, long from, long to, SnapshotData data) {
    RaftMessage h = b.getMessage();
    Snapshot snapshot = new Snapshot(meta(b), data);
    return new Message(h.getGroup(), MessageType.SNAPSHOT, from, to, h.getTerm(), h.getLogTerm(), h.getIndex(), null,
        h.getCommit(), h.getReject(), h.getRejectHint(), snapshot, h.getContext());
  }

  /** The snapshot's metadata as the begin frame announces it. */
  public static SnapshotMeta meta(SnapshotBegin b) {
    io.multiraft.transport.proto.ConfState cs = b.getConfState();
    ConfState confState = new ConfState(
        ids(cs.getVotersList()), ids(cs.getLearnersList()), ids(cs.getVotersOutgoingList()),
        ids(cs.getLearnersNextList()), cs.getAutoLeave()).intern();
    return new SnapshotMeta(b.getIndex(), b.getTerm(), confState);
  }

  private static TreeSet<Long> ids(List<Long> ids) {
    return new TreeSet<>(ids);
  }
}
