package io.multiraft.rangestore.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.api.ConfigException;
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
    Files.writeString(f, "node.id=1\ndata.dir=" + dir.resolve("n1") + "\nlisten=127.0.0.1:0\nadmin=127.0.0.1:0\n" + extra);
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
}
