package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.node.LoopbackTransport;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeStoreConfigTest {
  @TempDir Path dir;

  private void refused(RangeStoreConfig cfg, String mustSay) {
    ConfigException e = assertThrows(ConfigException.class, () -> RangeStoreNode.open(cfg, new LoopbackTransport()));
    assertTrue(e.getMessage().contains(mustSay), e.getMessage());
    assertFalse(Files.exists(cfg.dataDir()), "a refused configuration must not create the data directory");
  }

  @Test
  void invalidSettingsAreRefusedBeforeTheDataDirectoryExists() {
    Path d = dir.resolve("node");
    refused(RangeStoreConfig.builder(0, d).build(), "distinct id");
    refused(RangeStoreConfig.builder(1, d).peer(1, new InetSocketAddress("127.0.0.1", 7000)).build(), "own id");
    refused(RangeStoreConfig.builder(1, d).peer(2, new InetSocketAddress("127.0.0.1", 0)).build(), "real port");
    refused(RangeStoreConfig.builder(1, d).clusterId(" ").build(), "cluster id");
    refused(RangeStoreConfig.builder(1, d).maxKeyBytes(0).build(), "maxKeyBytes");
    refused(RangeStoreConfig.builder(1, d).appendWindow(0).build(), "appendWindow");
    refused(RangeStoreConfig.builder(1, d).logBudgetBytes(-1).build(), "logBudgetBytes");
    refused(RangeStoreConfig.builder(1, dir.resolve("missing/node")).build(), "create");
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsNamed() throws Exception {
    Path f = Files.createFile(dir.resolve("file"));
    ConfigException e = assertThrows(ConfigException.class, () -> RangeStoreConfig.builder(1, f).build().validate());
    assertTrue(e.getMessage().contains("is a file"), e.getMessage());
  }
}
