package io.multiraft.rangestore.kv;

import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.SstFileWriter;

/**
 * Installs a staged range snapshot with one {@code ingestExternalFile} call, so a crash leaves the
 * old range or the new one, never a mix. The files go in this order, a later file winning where
 * keys meet (RocksDB gives each overlapping file of one ingestion its own sequence number):
 * <ol>
 *   <li>a clearing file: a point delete for every key now in the span (RocksJava's SstFileWriter
 *       cannot write a range tombstone), written by streaming over the span;
 *   <li>the snapshot's data files, in key order;
 *   <li>the state file: the range's state record, and the deleted states and the tombstones of
 *       ranges it took over (their replicas here missed a merge).
 * </ol>
 */
final class RangeSnapshotInstall {
  private RangeSnapshotInstall() {}

  static RangeSnapshots.Restored install(RangeData data, long nodeId, StagedRangeSnapshot staged) {
    RangeState state = staged.state();
    RangeDescriptor desc = state.descriptor();
    List<Long> subsumed = RangeSnapshots.subsumed(data, desc);
    List<String> files = new ArrayList<>();
    try (EnvOptions env = new EnvOptions(); Options opts = new Options()) {
      Path clear = staged.dir().resolve("clear.sst");
      if (writeClearing(data, desc, env, opts, clear)) {
        files.add(clear.toString());
      }
      staged.dataFiles().forEach(f -> files.add(f.toString()));
      Path stateFile = staged.dir().resolve("state.sst");
      writeState(state, subsumed, env, opts, stateFile);
      files.add(stateFile.toString());
      try (IngestExternalFileOptions io = new IngestExternalFileOptions().setMoveFiles(true).setAllowBlockingFlush(true)) {
        data.db().ingestExternalFile(data.cf(), files, io);
      }
    } catch (RocksDBException e) {
      throw new RangeData.DataException("ingesting the snapshot of range " + desc.rangeId() + " failed: " + e.getMessage(), e);
    }
    return RangeSnapshots.restored(data, nodeId, state, subsumed);
  }

  /** Deletes of every key in the span; false if the span is empty here (no file: an empty SST is refused). */
  private static boolean writeClearing(RangeData data, RangeDescriptor desc, EnvOptions env, Options opts, Path file)
      throws RocksDBException {
    boolean any = false;
    try (Slice upper = new Slice(DataKeys.userEnd(desc.endKey()));
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper).setFillCache(false);
        RocksIterator it = data.db().newIterator(data.cf(), ro);
        SstFileWriter w = new SstFileWriter(env, opts)) {
      for (it.seek(DataKeys.user(desc.startKey())); it.isValid(); it.next()) {
        if (!any) {
          w.open(file.toString());
          any = true;
        }
        w.delete(it.key());
      }
      it.status();
      if (any) {
        w.finish();
      }
    }
    return any;
  }

  private static void writeState(RangeState state, List<Long> subsumed, EnvOptions env, Options opts, Path file)
      throws RocksDBException {
    long id = state.descriptor().rangeId();
    // Keys in increasing order: state records ('s'), then tombstones ('t').
    List<byte[]> states = new ArrayList<>();
    states.add(DataKeys.state(id));
    subsumed.forEach(s -> states.add(DataKeys.state(s)));
    states.sort(Keys::compare);
    List<byte[]> tombstones = new ArrayList<>();
    subsumed.forEach(s -> tombstones.add(DataKeys.tombstone(s)));
    tombstones.sort(Keys::compare);
    byte[] own = DataKeys.state(id);
    try (SstFileWriter w = new SstFileWriter(env, opts)) {
      w.open(file.toString());
      for (byte[] k : states) {
        if (Keys.compare(k, own) == 0) {
          w.put(k, state.encode());
        } else {
          w.delete(k);
        }
      }
      for (byte[] k : tombstones) {
        w.put(k, new byte[] {1});
      }
      w.finish();
    }
  }
}
