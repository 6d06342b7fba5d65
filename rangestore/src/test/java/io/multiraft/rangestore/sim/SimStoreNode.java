package io.multiraft.rangestore.sim;

import io.multiraft.node.MemoryLogStore;
import io.multiraft.rangestore.api.NodeRuntime;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.RangeStoreConfig;
import io.multiraft.rangestore.api.RangeStoreNode;
import io.multiraft.rangestore.kv.DataKeys;
import io.multiraft.rangestore.kv.RangeData;
import io.multiraft.sim.SimNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksMemEnv;

/**
 * One simulated node: a Raft log in a {@link MemoryLogStore} (a disk that loses unsynced writes in
 * a crash) and range data in a RocksDB on an in-memory file system, which keeps every write across
 * a crash (the data writes go to the WAL before the process can die). The {@link RangeStore} on top
 * is the production one; a crash drops it without closing anything.
 */
final class SimStoreNode implements AutoCloseable {
  final long id;
  final MemoryLogStore log = new MemoryLogStore();
  private final RocksMemEnv env = new RocksMemEnv(Env.getDefault());
  private final DBOptions options;
  private final RocksDB db;
  private final ColumnFamilyHandle dataCf;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  RangeStore store;

  SimStoreNode(long id) {
    this.id = id;
    this.options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setEnv(env);
    try {
      this.db = RocksDB.open(options, "/sim/n" + id, List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY), new ColumnFamilyDescriptor("data".getBytes())), handles);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot open the in-memory RocksDB of node " + id, e);
    }
    this.dataCf = handles.get(1);
  }

  void start(SimNetwork net, NodeRuntime runtime, long tickMs, long snapshotEvery) {
    RangeStoreConfig cfg = RangeStoreConfig.builder(id, Path.of("/sim-unused/n" + id))
        .raftWorkers(1)
        .tickIntervalMs(tickMs)
        .snapshotEveryEntries(snapshotEvery)
        .compactionMarginEntries(Math.max(1, snapshotEvery / 2))
        .build();
    // No ingest directory: snapshots are applied as WriteBatches, so nothing touches the real disk.
    store = RangeStoreNode.open(cfg, net, log, new RangeData(db, dataCf, null), runtime);
  }

  boolean up() {
    return store != null;
  }

  /** Drops the store without closing it; the log loses its unsynced writes, the data keeps everything. */
  int crash(SplittableRandom random) {
    store = null;
    return log.crash(random);
  }

  /** The value this node's data holds for a user key, read directly (no Raft). */
  byte[] rawValue(byte[] userKey) {
    try {
      return db.get(dataCf, DataKeys.user(userKey));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  RangeData data() {
    return new RangeData(db, dataCf, null);
  }

  @Override
  public void close() {
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    options.close();
    env.close();
  }
}
