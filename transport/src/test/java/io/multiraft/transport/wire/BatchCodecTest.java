package io.multiraft.transport.wire;

import static io.multiraft.transport.wire.WireMessages.ALLOC;
import static io.multiraft.transport.wire.WireMessages.decode;
import static io.multiraft.transport.wire.WireMessages.frame;
import static io.multiraft.transport.wire.WireMessages.heartbeat;
import static io.multiraft.transport.wire.WireMessages.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Snapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

  @Test
  void randomBatchesRoundTripFieldForField() throws ProtocolException {
    SplittableRandom r = new SplittableRandom(7);
    for (int round = 0; round < 300; round++) {
      List<Message> in = new ArrayList<>();
      int n = 1 + r.nextInt(50);
      for (int i = 0; i < n; i++) {
        in.add(WireMessages.random(r));
      }
      ByteBuf f = frame(in);
      try {
        assertEquals(f.readableBytes() - 4, f.getInt(0), "length prefix is the body size");
        List<Message> out = decode(f);
        // coalesced heartbeats come after the other messages; compare as multisets by order of kind
        assertEquals(in.size(), out.size());
        List<Message> expected = new ArrayList<>();
        in.stream().filter(m -> !BatchEncoder.coalescable(m)).forEach(expected::add);
        in.stream().filter(m -> BatchEncoder.coalescable(m) && m.type == MessageType.HEARTBEAT).forEach(expected::add);
        in.stream().filter(m -> BatchEncoder.coalescable(m) && m.type == MessageType.HEARTBEAT_RESPONSE).forEach(expected::add);
        for (int i = 0; i < expected.size(); i++) {
          assertTrue(WireMessages.same(expected.get(i), out.get(i)), "round " + round + " message " + i + ": "
              + expected.get(i) + " vs " + out.get(i));
        }
      } finally {
        f.release();
      }
    }
  }

  @Test
  void heartbeatsOfOneGroupMergeOnlyWithTheSameContext() throws ProtocolException {
    BatchEncoder enc = new BatchEncoder(1 << 20);
    enc.add(heartbeat(5, 1, 10, 0));
    enc.add(heartbeat(5, 2, 12, 0)); // supersedes the first
    enc.add(heartbeat(5, 2, 12, 99)); // a read-index context: kept apart
    enc.add(heartbeat(6, 2, 3, 0));
    assertEquals(3, enc.heartbeatEntries());
    assertEquals(1, enc.merged());
    ByteBuf f = enc.encode(ALLOC);
    List<Message> out = decode(f);
    f.release();
    assertEquals(3, out.size());
    assertEquals(5, out.get(0).groupId);
    assertEquals(2, out.get(0).term);
    assertEquals(12, out.get(0).commit);
    assertEquals(0, out.get(0).context);
    assertEquals(99, out.get(1).context);
    assertEquals(6, out.get(2).groupId);
    assertTrue(enc.isEmpty(), "encode resets the encoder");
  }

  @Test
  void coalescedHeartbeatsCostAFewBytesEach() {
    List<Message> beats = new ArrayList<>();
    List<Message> responses = new ArrayList<>();
    for (long g = 1; g <= 1000; g++) {
      beats.add(heartbeat(g, 4, 90, 0));
      responses.add(response(g, 4, 0));
    }
    ByteBuf hb = frame(beats);
    ByteBuf rs = frame(responses);
    // group id 2 bytes, term 1, commit 1; responses leave the all-zero commit column out
    assertTrue(hb.readableBytes() <= 1000 * 4 + 32, "heartbeats: " + hb.readableBytes());
    assertTrue(rs.readableBytes() <= 1000 * 3 + 32, "responses: " + rs.readableBytes());
    hb.release();
    rs.release();
  }

  @Test
  void encodedSizeIsKnownBeforeEncodingAndFramesRespectTheMaximum() {
    int max = 4096;
    BatchEncoder enc = new BatchEncoder(max);
    SplittableRandom r = new SplittableRandom(3);
    int frames = 0;
    for (int i = 0; i < 2000; i++) {
      Message m = r.nextBoolean() ? heartbeat(r.nextLong(1 << 30), r.nextLong(1 << 20), r.nextLong(), r.nextInt(3) - 2)
          : WireMessages.random(r);
      if (!enc.add(m)) {
        int predicted = enc.encodedBytes();
        ByteBuf f = enc.encode(ALLOC);
        assertEquals(predicted, f.readableBytes());
        assertTrue(f.readableBytes() <= max);
        f.release();
        frames++;
        if (!enc.add(m)) {
          assertTrue(BatchEncoder.messageBodySize(m) > max - 16, "only a message too big for any frame is refused");
        }
      }
    }
    assertTrue(frames > 10, "the byte bound cut the stream into frames: " + frames);
  }

  @Test
  void aMessageLargerThanAnyFrameIsRefusedAlone() {
    BatchEncoder enc = new BatchEncoder(1024);
    Message big = new Message(1, MessageType.APPEND, 1, 2, 1, 1, 1,
        List.of(new Entry(1, 2, EntryType.NORMAL, new byte[2000])), 0, false, 0, null, 0);
    assertFalse(enc.add(big));
    assertTrue(enc.isEmpty());
  }

  @Test
  void snapshotsAreNotBatched() {
    Message snap = new Message(1, MessageType.SNAPSHOT, 1, 2, 1, 0, 0, null, 0, false, 0, Snapshot.EMPTY, 0);
    assertThrows(IllegalArgumentException.class, () -> new BatchEncoder(1 << 20).add(snap));
  }

  @Test
  void badFieldValuesAreProtocolErrors() {
    // a RaftMessage of type 0 (unset)
    byte[] noType = {0x12, 0x04, 0x0A, 0x02, 0x08, 0x01};
    assertThrows(ProtocolException.class, () -> BatchDecoder.decode(Unpooled.wrappedBuffer(noType), 1, 2, new ArrayList<>()));
    // heartbeat columns of different lengths: groups [1, 2], terms [1]
    byte[] trimmed = {0x12, 0x09, 0x12, 0x07, 0x0A, 0x02, 0x01, 0x02, 0x12, 0x01, 0x01};
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> BatchDecoder.decode(Unpooled.wrappedBuffer(trimmed), 1, 2, new ArrayList<>()));
    assertTrue(e.getMessage().contains("different lengths"), e.getMessage());
  }
}
