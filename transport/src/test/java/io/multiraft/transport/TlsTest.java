package io.multiraft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS: a node's certificate must name the node id it claims in the handshake. */
class TlsTest {
  @TempDir
  static Path dir;
  static TestCertificates certs;
  static Path trustAll;
  static Path trustOneAndTwo;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new TestCertificates(dir, "node-1", "node-2", "node-3");
    trustAll = certs.trustStore("trust-all.p12", "node-1", "node-2", "node-3");
    trustOneAndTwo = certs.trustStore("trust-1-2.p12", "node-1", "node-2");
  }

  /** Two transports; node 2 uses the key store {@code node2Key}, node 1 trusts what {@code trust1} holds. */
  private static TransportCluster pair(String node2Key, Path trust1) {
    Map<Long, String> keys = Map.of(1L, "node-1", 2L, node2Key);
    return new TransportCluster(2, true, (id, b) -> b.tls(certs.tls(keys.get(id), id == 1 ? trust1 : trustAll)));
  }

  private static TransportCluster pair(String node2Key) {
    return pair(node2Key, trustAll);
  }

  @Test
  void matchingCertificatesConnectAndCarryMessages() {
    try (TransportCluster c = pair("node-2")) {
      c.awaitConnected(15_000);
      c.get(1).send(1, 2, List.of(Msgs.append(4, 1, 2, 1, 10, 3, 100)));
      Await.until("delivered over TLS", () -> c.inbound(2).received.get() == 1, 10_000);
      assertEquals(3, c.inbound(2).messages.peek().entries.size());
      assertEquals(0, c.get(1).counters().protocolErrors.sum());
      assertEquals(0, c.get(2).counters().protocolErrors.sum());
    }
  }

  @Test
  void aCertificateNamingAnotherNodeIsRefused() {
    // node 2 holds a valid, trusted certificate - but it is node 3's
    try (TransportCluster c = pair("node-3")) {
      Await.until("both directions refused", () -> c.get(1).counters().protocolErrors.sum() >= 2, 15_000);
      List<String> errors = c.get(1).recentProtocolErrors();
      assertTrue(errors.stream().anyMatch(e -> e.startsWith("closing connection with unidentified peer at /127.0.0.1:")
          && e.contains("handshake refused: certificate names [node-3] but the peer claims node 2")),
          "node 1 refused node 2's connection: " + errors);
      assertTrue(errors.stream().anyMatch(e -> e.startsWith("closing connection with unverified node 2 at ")
          && e.contains("handshake answer refused: certificate names [node-3] but the peer claims node 2")),
          "node 1 refused node 2's listener: " + errors);
      assertFalse(c.get(1).isConnected(2));
      assertFalse(c.get(2).isConnected(1));
      assertEquals(0, c.inbound(1).reachable.size(), "never reported reachable");
    }
  }

  @Test
  void anUntrustedCertificateIsRefused() {
    // node 2 presents node 3's certificate, which node 1 does not trust at all
    try (TransportCluster c = pair("node-3", trustOneAndTwo)) {
      Await.until("TLS refused", () -> c.get(1).recentProtocolErrors().stream().anyMatch(e -> e.contains("TLS handshake failed")),
          15_000);
      assertFalse(c.get(1).isConnected(2));
      assertFalse(c.get(2).isConnected(1));
    }
  }

  @Test
  void aPlaintextClientIsRefusedByATlsNode() throws Exception {
    try (TransportCluster c = pair("node-2")) {
      c.awaitConnected(15_000);
      InetSocketAddress addr = c.get(1).localAddress();
      try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {0, 0, 0, 5, 0x0A, 3, 0x10, 2, 0x18});
        out.flush();
        s.setSoTimeout(10_000);
        while (s.getInputStream().read() >= 0) {
          // drain until the node closes
        }
      }
      Await.until("logged", () -> c.get(1).recentProtocolErrors().stream().anyMatch(e -> e.contains("TLS")), 10_000);
      assertTrue(c.get(1).isConnected(2), "the TLS peer is unaffected");
    }
  }
}
