package io.multiraft.rangestore.kv;

import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.SstFileWriter;

/**
 * Installs a large range snapshot as one SST file ingested into the data family: cheaper than a
 * huge WriteBatch through the memtable and the WAL, and just as atomic, because the file holds the
 * whole change — the range's new state record, the states and tombstones of ranges it took over,
 * every new pair, and a point delete for every key of the span that the snapshot does not have.
 * (RocksJava's SstFileWriter cannot write a range deletion, hence the point deletes.)
 */
final class SnapshotIngest {
  /** Below this, a WriteBatch is cheaper than writing, syncing and ingesting a file. */
  static final long MIN_BYTES = 1L << 20;
  private static final AtomicLong FILES = new AtomicLong();

  private SnapshotIngest() {}

  static void ingest(RangeData data, RangeState state, List<KeyValue> pairs, List<Long> subsumed) {
    RangeDescriptor desc = state.descriptor();
    Path file;
    try {
      Files.createDirectories(data.ingestDir());
      file = data.ingestDir().resolve("range-" + desc.rangeId() + "-" + FILES.incrementAndGet() + ".sst");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + data.ingestDir() + " for a snapshot of range " + desc.rangeId(), e);
    }
    try (EnvOptions env = new EnvOptions(); Options opts = new Options(); SstFileWriter w = new SstFileWriter(env, opts)) {
      w.open(file.toString());
      // Keys go in strictly increasing order: state records ('s'), tombstones ('t'), user keys ('u').
      List<byte[]> states = new ArrayList<>();
      states.add(DataKeys.state(desc.rangeId()));
      subsumed.forEach(id -> states.add(DataKeys.state(id)));
      states.sort(Keys::compare);
      for (byte[] k : states) {
        if (Keys.compare(k, DataKeys.state(desc.rangeId())) == 0) {
          w.put(k, state.encode());
        } else {
          w.delete(k);
        }
      }
      List<byte[]> tombstones = new ArrayList<>();
      subsumed.forEach(id -> tombstones.add(DataKeys.tombstone(id)));
      tombstones.sort(Keys::compare);
      for (byte[] k : tombstones) {
        w.put(k, new byte[] {1});
      }
      writeSpan(data, desc, pairs, w);
      w.finish();
      try (IngestExternalFileOptions io = new IngestExternalFileOptions().setMoveFiles(true).setAllowBlockingFlush(true)) {
        data.db().ingestExternalFile(data.cf(), List.of(file.toString()), io);
      }
    } catch (RocksDBException e) {
      throw new RangeData.DataException("ingesting a snapshot of range " + desc.rangeId() + " failed: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(file); // moved into the database on success; a leftover on failure
      } catch (IOException ignored) {
        // nothing to do: the directory is scratch space
      }
    }
  }

  /** The new pairs merged with the keys present in the span: put what the snapshot has, delete the rest. */
  private static void writeSpan(RangeData data, RangeDescriptor desc, List<KeyValue> pairs, SstFileWriter w) throws RocksDBException {
    try (Slice upper = new Slice(DataKeys.userEnd(desc.endKey()));
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = data.db().newIterator(data.cf(), ro)) {
      it.seek(DataKeys.user(desc.startKey()));
      int i = 0;
      while (i < pairs.size() || it.isValid()) {
        byte[] next = i < pairs.size() ? DataKeys.user(pairs.get(i).key()) : null;
        int c = !it.isValid() ? 1 : next == null ? -1 : Keys.compare(it.key(), next);
        if (c < 0) {
          w.delete(it.key());
          it.next();
        } else {
          w.put(next, pairs.get(i++).value());
          if (c == 0) {
            it.next();
          }
        }
      }
      it.status();
    }
  }
}
