package io.multiraft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.transport.proto.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input on a node's listener: the offending connection is closed and logged with the peer's
 * address, and the node goes on serving its real peer as if nothing happened.
 */
class BadInputTest {
  private static TransportCluster c;
  private static InetSocketAddress node1;
  private long errorsBefore;
  private long connectionsBefore;
  private long lossesBefore;

  @BeforeAll
  static void start() {
    // node 1 also knows a node 3 that never connects, so a raw client can pass the handshake as node 3
    c = new TransportCluster(2, true, b -> b.maxFrameBytes(1 << 20).maxBatchBytes(1 << 18).snapshotChunkBytes(1 << 18)
        .handshakeTimeoutMs(1_000)
        .peer(3, new InetSocketAddress("127.0.0.1", 1)));
    c.awaitConnected(10_000);
    node1 = c.get(1).localAddress();
  }

  @AfterAll
  static void stop() {
    if (c != null) {
      c.close();
    }
  }

  @BeforeEach
  void before() {
    errorsBefore = c.get(1).counters().protocolErrors.sum();
    connectionsBefore = c.get(2).counters().connectionsOpened.sum();
    lossesBefore = lossesOfNode1();
  }

  /** The connection was refused with a log line naming its address and the reason; node 1 serves node 2 still. */
  private void assertRefusedAndStillServing(RawPeer p, String reason) throws IOException {
    assertTrue(p.closedByPeer(), "node 1 closed the connection");
    String address = p.localAddress();
    Await.until(() -> "a protocol error naming " + address + " and '" + reason + "' in " + c.get(1).recentProtocolErrors(),
        () -> c.get(1).recentProtocolErrors().stream().anyMatch(e -> e.contains(address) && e.contains(reason)), 5_000);
    assertEquals(errorsBefore + 1, c.get(1).counters().protocolErrors.sum(), "exactly this connection was refused");

    int before = c.inbound(1).received.get();
    int before2 = c.inbound(2).received.get();
    c.get(2).send(2, 1, List.of(Msgs.append(1, 2, 1, 1, 5, 1, 10)));
    c.get(1).send(1, 2, List.of(Msgs.heartbeat(1, 1, 2, 1, 5, 0)));
    Await.until("node 1 still exchanges messages with node 2",
        () -> c.inbound(1).received.get() == before + 1 && c.inbound(2).received.get() == before2 + 1, 5_000);
    assertTrue(c.get(2).isConnected(1) && c.get(1).isConnected(2));
  }

  @AfterEach
  void realPeerNeverReconnected() {
    assertEquals(connectionsBefore, c.get(2).counters().connectionsOpened.sum(), "node 2's stream was never replaced");
    assertEquals(lossesBefore, lossesOfNode1(), "node 2 never lost node 1");
  }

  /** Node 2's reports of node 1 unreachable (node 3, never there, is reported too). */
  private static long lossesOfNode1() {
    return c.inbound(2).unreachable.stream().filter(n -> n == 1L).count();
  }

  @Test
  void garbageBytes() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      byte[] garbage = new byte[64];
      new SplittableRandom(5).nextBytes(garbage);
      garbage[0] = 0; // a small length, so that the body is judged, not the prefix
      garbage[1] = 0;
      garbage[2] = 0;
      garbage[3] = 40;
      p.raw(garbage);
      assertRefusedAndStillServing(p, "handshake refused");
    }
  }

  @Test
  void truncatedFrame() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.raw(new byte[] {0, 0, 0, 20, 0x0A, 0x12, 0x0A});
      p.socket.shutdownOutput(); // the peer goes away inside the frame
      assertRefusedAndStillServing(p, "connection closed inside a frame");
    }
  }

  @Test
  void truncatedMessageInsideAFrame() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      byte[] hello = Frame.newBuilder().setHello(RawPeer.hello(3)).build().toByteArray();
      hello[1] = (byte) (hello[1] + 10); // the Hello claims more bytes than the frame holds
      p.frame(hello);
      assertRefusedAndStillServing(p, "malformed hello frame");
    }
  }

  @Test
  void oversizedLengthPrefixBeforeTheHandshake() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.raw(new byte[] {0, 1, 0, 0}); // 64 KB: fine later, too big for a handshake
      assertRefusedAndStillServing(p, "exceeds the maximum of 4096 bytes");
    }
  }

  @Test
  void oversizedLengthPrefixAfterTheHandshakeIsRefusedBeforeItsBody() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.hello(RawPeer.hello(3));
      assertEquals(1, p.readFrame().getHello().getNodeId(), "accepted as node 3");
      p.raw(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0}); // 2 GB announced, no body ever sent
      assertRefusedAndStillServing(p, "frame length 2147483632 exceeds the maximum of 1048576 bytes");
    }
  }

  @Test
  void malformedBatchAfterTheHandshake() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.hello(RawPeer.hello(3));
      p.readFrame();
      p.frame(new byte[] {0x12, 0x04, 0x0A, 0x02, 0x10, 0x63}); // a message of type 99
      assertRefusedAndStillServing(p, "unknown message type 99");
    }
  }

  @Test
  void wrongProtocolVersion() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.hello(RawPeer.hello(3).setProtocolVersion(99));
      assertRefusedAndStillServing(p, "protocol version 99 from a peer claiming node 3; this node speaks version 1");
    }
  }

  @Test
  void wrongCluster() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.hello(RawPeer.hello(3).setClusterId("other-cluster"));
      assertRefusedAndStillServing(p, "cluster id 'other-cluster'");
    }
  }

  @Test
  void unknownNodeId() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.hello(RawPeer.hello(42));
      assertRefusedAndStillServing(p, "unknown node id 42");
    }
  }

  @Test
  void aNodeClaimingAnotherNodesId() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.hello(RawPeer.hello(2)); // node 2 is connected already
      assertRefusedAndStillServing(p, "duplicate node id 2: node 2 is already connected from /127.0.0.1:");
    }
  }

  @Test
  void aPeerClaimingTheNodesOwnId() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.hello(RawPeer.hello(1));
      assertRefusedAndStillServing(p, "peer claims this node's own id 1");
    }
  }

  @Test
  void noHandshakeAtAll() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      assertRefusedAndStillServing(p, "no handshake within 1000 ms");
    }
  }

  @Test
  void aSnapshotHandshakeOnTheMessageListener() throws IOException {
    try (RawPeer p = new RawPeer(node1)) {
      p.hello(RawPeer.hello(3).setKind(io.multiraft.transport.proto.ChannelKind.CHANNEL_SNAPSHOT));
      assertRefusedAndStillServing(p, "a CHANNEL_SNAPSHOT handshake on the CHANNEL_STREAM listener");
    }
  }
}
