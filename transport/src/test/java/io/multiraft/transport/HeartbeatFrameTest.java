package io.multiraft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coalesced heartbeats, driven precisely: what the runtime does once per heartbeat interval (one
 * send per peer with a heartbeat for each group it leads there) must arrive as exactly one frame
 * whose heartbeat section has one entry per group, handed to the node in one call.
 */
class HeartbeatFrameTest {
  private static final int GROUPS = 1_000;

  @Test
  void heartbeatsOfManyGroupsAreOneFramePerInterval() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      NettyTransport sender = c.get(1);
      NettyTransport receiver = c.get(2);
      RecordingInbound in = c.inbound(2);
      int intervals = 5;
      for (int k = 1; k <= intervals; k++) {
        long framesBefore = receiver.counters().framesReceived.sum();
        long entriesBefore = receiver.counters().heartbeatEntriesReceived.sum();
        long bytesBefore = sender.counters().bytesSent.sum();
        int callsBefore = in.receiveCalls.size();
        int receivedBefore = in.received.get();

        List<Message> beat = new ArrayList<>();
        for (long g = 1; g <= GROUPS; g++) {
          beat.add(Msgs.heartbeat(g, 1, 2, 7, 100 + g + k, g % 100 == 0 ? Message.QUIESCE : 0));
        }
        sender.send(1, 2, beat);
        Await.until("interval " + k + " delivered", () -> in.received.get() - receivedBefore >= GROUPS, 10_000);

        assertEquals(1, receiver.counters().framesReceived.sum() - framesBefore, "one frame per interval");
        assertEquals(GROUPS, receiver.counters().heartbeatEntriesReceived.sum() - entriesBefore, "one entry per group");
        assertEquals(List.of(GROUPS), in.receiveCalls.subList(callsBefore, in.receiveCalls.size()),
            "handed to the node in one batch");
        long frameBytes = sender.counters().bytesSent.sum() - bytesBefore;
        // group (2 bytes) + term (1) + commit (2) + context (1) per entry, plus a few bytes of framing
        assertTrue(frameBytes < GROUPS * 7L, "coalesced entries are compact: " + frameBytes + " bytes for " + GROUPS);
      }
      List<Message> got = new ArrayList<>(in.messages);
      assertEquals(GROUPS * intervals, got.size());
      Message last = got.get(got.size() - 1);
      assertEquals(MessageType.HEARTBEAT, last.type);
      assertEquals(GROUPS, last.groupId);
      assertEquals(1, last.from);
      assertEquals(2, last.to);
      assertEquals(7, last.term);
      assertEquals(100 + GROUPS + intervals, last.commit);
      assertEquals(Message.QUIESCE, last.context, "the quiesce mark survives the coalesced encoding");
      assertEquals(intervals, c.get(1).counters().framesSent.sum());
    }
  }

  @Test
  void heartbeatResponsesComeBackAsOneFrame() {
    try (TransportCluster c = TransportCluster.of(2)) {
      c.awaitConnected(10_000);
      // node 2 answers every heartbeat frame with one send of responses, as its runtime would
      c.inbound(2).onReceive((from, batch) -> {
        List<Message> responses = new ArrayList<>();
        for (Message m : batch) {
          responses.add(Msgs.heartbeatResponse(m.groupId, 2, 1, m.term, m.context));
        }
        c.get(2).send(2, 1, responses);
      });
      List<Message> beat = new ArrayList<>();
      for (long g = 1; g <= GROUPS; g++) {
        beat.add(Msgs.heartbeat(g, 1, 2, 3, 50, g == 5 ? 77 : 0));
      }
      c.get(1).send(1, 2, beat);
      RecordingInbound back = c.inbound(1);
      Await.until("responses", () -> back.received.get() >= GROUPS, 10_000);
      assertEquals(1, c.get(1).counters().framesReceived.sum());
      assertEquals(GROUPS, c.get(1).counters().heartbeatEntriesReceived.sum());
      Message withContext = back.messages.stream().filter(m -> m.groupId == 5).findFirst().orElseThrow();
      assertEquals(MessageType.HEARTBEAT_RESPONSE, withContext.type);
      assertEquals(77, withContext.context, "a read-index context comes back");
    }
  }
}
