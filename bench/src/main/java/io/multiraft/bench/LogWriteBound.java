package io.multiraft.bench;

import io.multiraft.core.Entry;
import io.multiraft.rangestore.log.EntryCodec;
import io.multiraft.rangestore.log.LogKeys;
import io.multiraft.rangestore.log.LogStoreConfig;
import io.multiraft.rangestore.log.RocksOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The bound of {@code logwrite}: one thread writing plain RocksDB WriteBatches with sync into a
 * column family with the log's options, with the same keys (group, index; groups round-robin) and
 * value size (entry header + payload). The value is prepared once, so the loop pays only for
 * RocksDB: it is what the disk and RocksDB allow, with no encoding, checksums or bookkeeping.
 */
final class LogWriteBound implements AutoCloseable {
  private final RocksOptions options;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final ColumnFamilyHandle log;
  private final byte[] value;
  private final int groups;
  private final long[] next;
  private int at = 1;

  LogWriteBound(Path dir, LogStoreConfig cfg, int groups, int payload) throws RocksDBException {
    this.options = new RocksOptions(cfg);
    options.dbOptions().setCreateMissingColumnFamilies(true);
    this.db = RocksDB.open(options.dbOptions(), dir.toString(),
        options.descriptors(List.of(RocksOptions.DEFAULT_CF, RocksOptions.LOG_CF)), handles);
    this.log = handles.get(1);
    this.value = EntryCodec.encode(LogKeys.log(1, 1), Entry.normal(1, 1, new byte[payload]));
    this.groups = groups;
    this.next = new long[groups + 1];
    Arrays.fill(next, 1);
  }

  /** Writes synced batches of {@code perBatch} entries for {@code nanos}. */
  LogWriteScenario.Rate run(long nanos, int perBatch) throws RocksDBException {
    long batches = 0;
    long t0 = System.nanoTime();
    long end = t0 + nanos;
    while (System.nanoTime() < end) {
      try (WriteBatch wb = new WriteBatch()) {
        for (int i = 0; i < perBatch; i++) {
          wb.put(log, LogKeys.log(at, next[at]++), value);
          at = at == groups ? 1 : at + 1;
        }
        db.write(options.syncWrite(), wb);
      }
      batches++;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new LogWriteScenario.Rate(batches * (double) perBatch, batches, seconds);
  }

  @Override
  public void close() {
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    options.close();
  }
}
