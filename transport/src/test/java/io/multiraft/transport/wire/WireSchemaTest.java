package io.multiraft.transport.wire;

import static io.multiraft.transport.wire.WireMessages.ALLOC;
import static io.multiraft.transport.wire.WireMessages.body;
import static io.multiraft.transport.wire.WireMessages.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.multiraft.core.ConfState;
import io.multiraft.core.EntryType;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.transport.proto.Batch;
import io.multiraft.transport.proto.Frame;
import io.multiraft.transport.proto.Heartbeats;
import io.multiraft.transport.proto.LogEntry;
import io.multiraft.transport.proto.RaftMessage;
import io.multiraft.transport.proto.SnapshotChunk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The hand-written codec and the .proto schema say the same thing: frames we write parse with the
 * classes protoc generates, and frames those classes write decode with ours.
 */
class WireSchemaTest {

  @Test
  void enumsListTheCoreConstantsInOrder() {
    for (MessageType t : MessageType.values()) {
      assertEquals("MSG_" + t.name(), io.multiraft.transport.proto.MessageType.forNumber(t.ordinal() + 1).name());
    }
    for (EntryType t : EntryType.values()) {
      assertEquals("ENTRY_" + t.name(), io.multiraft.transport.proto.EntryType.forNumber(t.ordinal() + 1).name());
    }
  }

  @Test
  void ourBatchesParseWithTheGeneratedClasses() throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    List<Message> in = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      in.add(WireMessages.random(r));
    }
    in.add(WireMessages.heartbeat(9, 3, 40, Message.QUIESCE));
    in.add(WireMessages.heartbeat(10, 3, 41, 0));
    in.add(WireMessages.response(11, 3, 5));
    ByteBuf f = WireMessages.frame(in);
    Frame parsed = Frame.parseFrom(bytes(body(f)));
    f.release();
    Batch b = parsed.getBatch();
    List<Message> plain = in.stream().filter(m -> !BatchEncoder.coalescable(m)).toList();
    assertEquals(plain.size(), b.getMessagesCount());
    for (int i = 0; i < plain.size(); i++) {
      Message m = plain.get(i);
      RaftMessage p = b.getMessages(i);
      assertEquals(m.groupId, p.getGroup());
      assertEquals(m.type.ordinal() + 1, p.getTypeValue());
      assertEquals(m.term, p.getTerm());
      assertEquals(m.logTerm, p.getLogTerm());
      assertEquals(m.index, p.getIndex());
      assertEquals(m.commit, p.getCommit());
      assertEquals(m.reject, p.getReject());
      assertEquals(m.rejectHint, p.getRejectHint());
      assertEquals(m.context, p.getContext());
      assertEquals(m.entries.size(), p.getEntriesCount());
      for (int j = 0; j < m.entries.size(); j++) {
        assertEquals(m.entries.get(j).index(), p.getEntries(j).getIndex());
        assertEquals(m.entries.get(j).term(), p.getEntries(j).getTerm());
        assertEquals(m.entries.get(j).type().ordinal() + 1, p.getEntries(j).getTypeValue());
        assertArrayEquals(m.entries.get(j).data(), p.getEntries(j).getData().toByteArray());
      }
    }
    long heartbeats = in.stream().filter(m -> BatchEncoder.coalescable(m) && m.type == MessageType.HEARTBEAT).count();
    assertEquals(heartbeats, b.getHeartbeats().getGroupCount());
    assertEquals(heartbeats, b.getHeartbeats().getTermCount());
    assertTrue(b.getHeartbeats().getGroupList().contains(9L));
    int at = b.getHeartbeats().getGroupList().indexOf(9L);
    assertEquals(Message.QUIESCE, b.getHeartbeats().getContext(at));
    assertEquals(40, b.getHeartbeats().getCommit(at));
  }

  @Test
  void generatedBatchesDecodeWithOurs() throws ProtocolException {
    Frame frame = Frame.newBuilder().setBatch(Batch.newBuilder()
        .addMessages(RaftMessage.newBuilder()
            .setGroup(77).setType(io.multiraft.transport.proto.MessageType.MSG_APPEND).setTerm(3).setLogTerm(2)
            .setIndex(41).setCommit(40).setContext(-1)
            .addEntries(LogEntry.newBuilder().setTerm(3).setIndex(42).setType(io.multiraft.transport.proto.EntryType.ENTRY_NORMAL)
                .setData(ByteString.copyFromUtf8("hello")))
            .addEntries(LogEntry.newBuilder().setTerm(3).setIndex(43).setType(io.multiraft.transport.proto.EntryType.ENTRY_CONF_CHANGE)))
        .addMessages(RaftMessage.newBuilder().setGroup(78).setType(io.multiraft.transport.proto.MessageType.MSG_VOTE_RESPONSE)
            .setTerm(9).setReject(true))
        .setHeartbeats(Heartbeats.newBuilder().addGroup(1).addGroup(2).addTerm(5).addTerm(6).addCommit(10).addCommit(0))
        .setHeartbeatResponses(Heartbeats.newBuilder().addGroup(3).addTerm(7).addContext(-2)))
        .build();
    List<Message> out = new ArrayList<>();
    int hb = BatchDecoder.decode(Unpooled.wrappedBuffer(frame.toByteArray()), 4, 5, out);
    assertEquals(3, hb);
    assertEquals(5, out.size());
    Message append = out.get(0);
    assertEquals(MessageType.APPEND, append.type);
    assertEquals(77, append.groupId);
    assertEquals(4, append.from);
    assertEquals(5, append.to);
    assertEquals(-1, append.context);
    assertEquals("hello", new String(append.entries.get(0).data(), StandardCharsets.UTF_8));
    assertEquals(EntryType.CONF_CHANGE, append.entries.get(1).type());
    assertEquals(0, append.entries.get(1).data().length);
    assertTrue(out.get(1).reject);
    assertEquals(MessageType.HEARTBEAT, out.get(2).type);
    assertEquals(10, out.get(2).commit);
    assertEquals(6, out.get(3).term);
    assertEquals(MessageType.HEARTBEAT_RESPONSE, out.get(4).type);
    assertEquals(Message.QUIESCE, out.get(4).context);
  }

  @Test
  void chunkFramesMatchTheSchemaWithoutCopyingData() throws Exception {
    byte[] data = new byte[5000];
    new SplittableRandom(1).nextBytes(data);
    ByteBuf header = ChunkFrames.header(ALLOC, 12, 300_000, data.length, 0x1234abcd);
    ByteBuf frame = Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(data));
    assertEquals(ChunkFrames.frameBytes(12, 300_000, data.length), frame.readableBytes());
    SnapshotChunk parsed = Frame.parseFrom(bytes(body(frame))).getSnapshotChunk();
    assertEquals(12, parsed.getTransferId());
    assertEquals(300_000, parsed.getOffset());
    assertArrayEquals(data, parsed.getData().toByteArray());
    assertEquals(0x1234abcd, parsed.getCrc32C());

    ChunkFrames.Chunk c = ChunkFrames.decode(body(frame));
    assertEquals(12, c.transferId());
    assertEquals(300_000, c.offset());
    assertEquals(0x1234abcd, c.crc32c());
    assertArrayEquals(data, bytes(c.data()));
    c.data().release();
    frame.release();
  }

  @Test
  void snapshotBeginCarriesMetaAndHeader() {
    ConfState cs = new ConfState(new TreeSet<>(Set.of(1L, 2L)), new TreeSet<>(Set.of(4L)),
        new TreeSet<>(Set.of(1L, 3L)), new TreeSet<>(Set.of(3L)), true);
    Message m = new Message(8, MessageType.SNAPSHOT, 1, 2, 6, 0, 0, null, 0, false, 0,
        new Snapshot(new SnapshotMeta(100, 5, cs), new byte[] {1, 2, 3}), 0);
    Frame begin = SnapshotFrames.begin(3, m);
    assertEquals(3, begin.getSnapshotBegin().getDataBytes());
    Message back = SnapshotFrames.message(begin.getSnapshotBegin(), 1, 2, new byte[] {1, 2, 3});
    assertEquals(8, back.groupId);
    assertEquals(6, back.term);
    assertEquals(new SnapshotMeta(100, 5, cs), back.snapshot.meta());
    assertArrayEquals(new byte[] {1, 2, 3}, back.snapshot.data());
  }
}
