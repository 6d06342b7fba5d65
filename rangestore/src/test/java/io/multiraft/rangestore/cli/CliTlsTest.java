package io.multiraft.rangestore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.transport.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin requests over mutual TLS on the nodes' listeners, and the mismatches an operator makes:
 * each fails at once with exit code 3 and a message naming TLS, never a hang.
 */
class CliTlsTest {
  @TempDir static Path certDir;
  static PemCertificates certs;
  static Path trust;
  @TempDir Path dir;
  NettyNodes tlsNodes;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new PemCertificates(certDir, "node-1", "node-2", "node-3", "admin-tool", "stranger");
    trust = certs.trust("trust.pem", "node-1", "node-2", "node-3", "admin-tool");
  }

  @BeforeEach
  void start() throws Exception {
    Path data = Files.createDirectories(dir.resolve("tls"));
    tlsNodes = new NettyNodes(data, 3, 3, id -> TlsConfig.fromPem(certs.cert("node-" + id), certs.key("node-" + id), trust));
  }

  @AfterEach
  void stop() {
    if (tlsNodes != null) {
      tlsNodes.close();
    }
  }

  private static String[] withTls(String client, String... args) {
    String[] out = new String[args.length + 6];
    System.arraycopy(args, 0, out, 0, args.length);
    out[args.length] = "--tls-cert";
    out[args.length + 1] = certs.cert(client).toString();
    out[args.length + 2] = "--tls-key";
    out[args.length + 3] = certs.key(client).toString();
    out[args.length + 4] = "--tls-trust";
    out[args.length + 5] = trust.toString();
    return out;
  }

  // Breaks if admin requests do not work over mutual TLS, or the NotLeader redirect loses the TLS settings.
  @Test
  void adminCommandsWorkOverMutualTls() {
    for (long n = 1; n <= 3; n++) {
      Object[] put = CliTest.run(withTls("admin-tool", "admin", "put", "--node", tlsNodes.address(n), "--key", "k" + n, "--value", "v" + n));
      assertEquals(0, put[0], (String) put[1]);
    }
    Object[] get = CliTest.run(withTls("admin-tool", "admin", "get", "--node", tlsNodes.address(2), "--key", "k3"));
    assertEquals(0, get[0], (String) get[1]);
    assertEquals("v3", ((String) get[1]).trim());
    Object[] ranges = CliTest.run(withTls("admin-tool", "admin", "ranges", "--node", tlsNodes.address(1), "--json"));
    assertEquals(0, ranges[0], (String) ranges[1]);
    assertTrue(((String) ranges[1]).startsWith("["), (String) ranges[1]);
  }

  // Breaks if a plaintext client hangs on a TLS node or fails with an unhelpful message.
  @Test
  void aPlaintextClientAgainstATlsNodeFailsFastNamingTls() {
    long start = System.nanoTime();
    Object[] r = CliTest.run("admin", "ranges", "--node", tlsNodes.address(1));
    assertEquals(3, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("TLS"), (String) r[1]);
    assertTrue(System.nanoTime() - start < 20_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  // Breaks if a TLS client hangs on a plaintext node or fails with an unhelpful message.
  @Test
  void aTlsClientAgainstAPlaintextNodeFailsFastNamingTls() throws Exception {
    try (NettyNodes plain = new NettyNodes(Files.createDirectories(dir.resolve("plain")), 1, 1, id -> null)) {
      long start = System.nanoTime();
      Object[] r = CliTest.run(withTls("admin-tool", "admin", "ranges", "--node", plain.address(1)));
      assertEquals(3, r[0], (String) r[1]);
      assertTrue(((String) r[1]).contains("TLS"), (String) r[1]);
      assertTrue(System.nanoTime() - start < 20_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
  }

  // Breaks if a client whose certificate the nodes do not trust is served.
  @Test
  void anUntrustedClientCertificateIsRefused() {
    Object[] r = CliTest.run(withTls("stranger", "admin", "ranges", "--node", tlsNodes.address(1)));
    assertEquals(3, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("TLS") || ((String) r[1]).contains("trust"), (String) r[1]);
  }

  // Breaks if half a TLS configuration is silently treated as plaintext.
  @Test
  void partialTlsOptionsAreAUsageError() {
    Object[] r = CliTest.run("admin", "ranges", "--node", tlsNodes.address(1), "--tls-cert", certs.cert("admin-tool").toString());
    assertEquals(2, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("--tls-key"), (String) r[1]);
  }
}
