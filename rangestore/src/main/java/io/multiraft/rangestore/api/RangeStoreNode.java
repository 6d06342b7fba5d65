package io.multiraft.rangestore.api;

import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.rangestore.kv.RangeData;
import io.multiraft.spi.LogStore;
import io.multiraft.spi.Transport;
import io.multiraft.transport.NettyTransport;
import io.multiraft.transport.TransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Opens a {@link RangeStore}: validates the configuration, only then creates the data directory
 * (lesson 21), opens the node's RocksDB and starts Raft over the network or a given transport.
 */
public final class RangeStoreNode {
  private RangeStoreNode() {}

  /** A node on the network: a Netty transport listening on the configured address. */
  public static RangeStore open(RangeStoreConfig cfg) {
    cfg.validate();
    createDataDir(cfg);
    TransportConfig.Builder tb = TransportConfig.builder(cfg.nodeId(), cfg.clusterId(), cfg.listenAddress())
        .snapshotDir(cfg.dataDir().resolve("snapshots-in"))
        .tls(cfg.tls());
    cfg.peers().forEach(tb::peer);
    NettyTransport transport = new NettyTransport(tb.build());
    try {
      return new RangeStore(cfg, RocksLogStore.open(cfg.dataDir().resolve("db")), transport, transport);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  /** A node over a transport the caller owns (in-process clusters over a loopback transport). */
  public static RangeStore open(RangeStoreConfig cfg, Transport transport) {
    cfg.validate();
    createDataDir(cfg);
    return new RangeStore(cfg, RocksLogStore.open(cfg.dataDir().resolve("db")), transport, null);
  }

  /**
   * A node over a transport, a log store and range data the caller provides, on the given runtime
   * (the deterministic simulator: virtual time, no threads). No data directory is created; closing
   * the store closes the log store and the range data handle, not the database under it.
   */
  public static RangeStore open(RangeStoreConfig cfg, Transport transport, LogStore logStore, RangeData rangeData,
      NodeRuntime runtime) {
    return new RangeStore(cfg, logStore, rangeData, transport, null, runtime);
  }

  private static void createDataDir(RangeStoreConfig cfg) {
    try {
      Files.createDirectories(cfg.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + cfg.dataDir() + ": " + e.getMessage()
          + "; check the path and permissions", e);
    }
  }
}
