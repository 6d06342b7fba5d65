package io.multiraft.rangestore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.api.ConfigException;
import io.multiraft.rangestore.api.RangeStoreConfig;
import io.multiraft.rangestore.split.AutoSplitConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional keys of a server's configuration file. */
class ServerConfigTest {
  @TempDir Path dir;

  private ServerConfig load(String extra) throws IOException {
    Path f = dir.resolve("server.properties");
    Files.writeString(f, "node.id=1\ndata.dir=" + dir.resolve("n1") + "\nlisten=127.0.0.1:0\n" + extra);
    return ServerConfig.load(f);
  }

  // Breaks if read.lease is ignored or defaults to on.
  @Test
  void leaseReadsAreOffUnlessConfigured() throws IOException {
    assertFalse(load("").store().leaseReads());
    assertTrue(load("read.lease=true\n").store().leaseReads());
    ConfigException e = assertThrows(ConfigException.class, () -> load("read.lease=yes\n"));
    assertTrue(e.getMessage().contains("read.lease"), e.getMessage());
  }

  // Breaks if the log budget or append window keys do not reach the store, or their defaults change.
  @Test
  void theLogBudgetAndAppendWindowReachTheStore() throws IOException {
    assertEquals(256L << 20, load("").store().logBudgetBytes());
    assertEquals(1, load("").store().appendWindow());
    RangeStoreConfig c = load("log.budget.bytes=1048576\nraft.append.window=8\n").store();
    assertEquals(1 << 20, c.logBudgetBytes());
    assertEquals(8, c.appendWindow());
    ConfigException e = assertThrows(ConfigException.class, () -> load("raft.append.window=0\n"));
    assertTrue(e.getMessage().contains("appendWindow"), e.getMessage());
  }

  // Breaks if the split keys do not reach the store, or automatic splits default to on.
  @Test
  void automaticSplitsAreOffUnlessConfigured() throws IOException {
    assertFalse(load("").store().autoSplit().enabled());
    AutoSplitConfig a = load("split.max.bytes=1048576\nsplit.max.writes.per.sec=500\nsplit.check.interval.ms=2000\n")
        .store().autoSplit();
    assertEquals(new AutoSplitConfig(1 << 20, 500, 2000), a);
    assertTrue(a.enabled());
    ConfigException e = assertThrows(ConfigException.class, () -> load("split.max.bytes=-1\n"));
    assertTrue(e.getMessage().contains("split"), e.getMessage());
  }

  // Breaks if the replica collector's interval is ignored, is off by default, or accepts a negative value.
  @Test
  void replicaCollectionRunsEveryThirtySecondsUnlessConfigured() throws IOException {
    assertEquals(ServerConfig.DEFAULT_REPLICA_GC_MS, load("").replicaGcIntervalMs());
    assertEquals(30_000, ServerConfig.DEFAULT_REPLICA_GC_MS);
    assertEquals(0, load("replica.gc.interval.ms=0\n").replicaGcIntervalMs());
    ConfigException e = assertThrows(ConfigException.class, () -> load("replica.gc.interval.ms=-5\n"));
    assertTrue(e.getMessage().contains("replica.gc.interval.ms"), e.getMessage());
  }

  // Breaks if an old config with a separate admin address is accepted silently (its admin port
  // would no longer answer), or if half a TLS setup is taken for plaintext.
  @Test
  void theAdminKeyIsRefusedAndTlsKeysGoTogether() throws IOException {
    ConfigException admin = assertThrows(ConfigException.class, () -> load("admin=127.0.0.1:8001\n"));
    assertTrue(admin.getMessage().contains("listen"), admin.getMessage());
    ConfigException peers = assertThrows(ConfigException.class, () -> load("peers=2@127.0.0.1:7002/127.0.0.1:8002\n"));
    assertTrue(peers.getMessage().contains("ID@HOST:PORT"), peers.getMessage());
    assertEquals(null, load("peers=2@127.0.0.1:7002\n").store().tls());
    ConfigException half = assertThrows(ConfigException.class, () -> load("tls.cert=" + dir.resolve("c.pem") + "\n"));
    assertTrue(half.getMessage().contains("tls.key"), half.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> load("tls.cert=" + dir.resolve("c.pem")
        + "\ntls.key=" + dir.resolve("k.pem") + "\ntls.trust=" + dir.resolve("t.pem") + "\n"));
    assertTrue(missing.getMessage().contains("c.pem"), missing.getMessage());
  }

  // Breaks if the TLS files are not loaded into the store's configuration.
  @Test
  void tlsFilesReachTheStore() throws Exception {
    PemCertificates certs = new PemCertificates(dir, "node-1");
    Path trust = certs.trust("trust.pem", "node-1");
    ServerConfig cfg = load("tls.cert=" + certs.cert("node-1") + "\ntls.key=" + certs.key("node-1") + "\ntls.trust=" + trust + "\n");
    assertTrue(cfg.store().tls() != null);
  }
}
