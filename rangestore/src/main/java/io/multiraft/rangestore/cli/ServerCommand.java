package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.admin.AdminServer;
import io.multiraft.rangestore.admin.ReplicaGc;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.RangeStoreNode;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.ReplicaDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code server --config FILE}: runs one node until it is stopped (SIGTERM/SIGINT close it in order). */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run a range store node.")
public final class ServerCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "node configuration file (Java properties)")
  Path config;

  @Override
  public Integer call() throws Exception {
    ServerConfig cfg = ServerConfig.load(config);
    RangeStore store = RangeStoreNode.open(cfg.store());
    if (!cfg.bootstrapVoters().isEmpty() && store.router().size() == 0) {
      List<ReplicaDescriptor> rs = new ArrayList<>();
      cfg.bootstrapVoters().forEach(v -> rs.add(new ReplicaDescriptor(v, ReplicaDescriptor.Role.VOTER)));
      store.bootstrapRange(new RangeDescriptor(1, Keys.MIN, null, rs, 0)).join();
    }
    AdminServer admin = new AdminServer(store, cfg.store().peers(), cfg.store().tls());
    ReplicaGc gc = ReplicaGc.start(store, cfg.store().peers(), cfg.store().tls(), cfg.replicaGcIntervalMs());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (gc != null) {
        gc.close();
      }
      admin.close();
      store.close(); // Raft, then the transport, then RocksDB (lesson 22)
      stopped.countDown();
    }, "rangestore-shutdown"));
    System.out.println("node " + cfg.store().nodeId() + " ready: raft and admin on " + admin.address().getHostString() + ":"
        + admin.address().getPort() + (cfg.store().tls() != null ? " (mutual TLS)" : "") + ", data in " + cfg.store().dataDir());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
