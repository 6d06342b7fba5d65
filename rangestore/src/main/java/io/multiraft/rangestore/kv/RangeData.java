package io.multiraft.rangestore.kv;

import java.util.ArrayList;
import java.util.List;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's {@code data} column family as the ranges use it. Writes go through the WAL without a
 * sync of their own: the Raft log (same RocksDB, same WAL) is synced by the log writer, and WAL
 * recovery is point-in-time, so a state write is never recovered without the log writes before it,
 * and a lost state write is re-applied from the log (which is compacted only behind a snapshot).
 */
public final class RangeData implements AutoCloseable {
  private final RocksDB db;
  private final ColumnFamilyHandle cf;
  private final WriteOptions writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
  private final java.nio.file.Path ingestDir;
  private final SnapshotViews views = new SnapshotViews();
  /** Stages received snapshots under the ingest directory; null without one. */
  private final RangeSnapshotSink snapshotSink;

  public RangeData(RocksDB db, ColumnFamilyHandle cf) {
    this(db, cf, null);
  }

  /** @param ingestDir where large snapshots are built as SST files before ingestion (null: always WriteBatches) */
  public RangeData(RocksDB db, ColumnFamilyHandle cf, java.nio.file.Path ingestDir) {
    this.db = db;
    this.cf = cf;
    this.ingestDir = ingestDir;
    // created here, at start-up: it empties what a crash left in the staging directory
    this.snapshotSink = ingestDir == null ? null : new RangeSnapshotSink(ingestDir.resolve("staging"));
  }

  /** Where received snapshots are staged, or null (snapshots are then restored with a WriteBatch). */
  public RangeSnapshotSink snapshotSink() {
    return snapshotSink;
  }

  SnapshotViews views() {
    return views;
  }

  /** Snapshot views not released yet (tests: transfers must give theirs back). */
  public int openSnapshotViews() {
    return views.openViews();
  }

  java.nio.file.Path ingestDir() {
    return ingestDir;
  }

  RocksDB db() {
    return db;
  }

  ColumnFamilyHandle cf() {
    return cf;
  }

  /** The column family the ranges live in (for records kept next to them, such as the range id reservation). */
  public ColumnFamilyHandle columnFamily() {
    return cf;
  }

  public void write(WriteBatch wb) {
    try {
      db.write(writeOptions, wb);
    } catch (RocksDBException e) {
      throw new DataException("writing range data failed: " + e.getMessage(), e);
    }
  }

  public byte[] get(byte[] storedKey) {
    try {
      return db.get(cf, storedKey);
    } catch (RocksDBException e) {
      throw new DataException("reading range data failed: " + e.getMessage(), e);
    }
  }

  /** The state record of a range on this node, or null if this node holds none. */
  public RangeState readState(long rangeId) {
    byte[] v = get(DataKeys.state(rangeId));
    return v == null ? null : RangeState.decode(v);
  }

  /** Every range state recorded on this node (at start-up: which ranges live here). */
  public List<RangeState> allStates() {
    List<RangeState> out = new ArrayList<>();
    try (Slice upper = new Slice(DataKeys.stateEnd());
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(cf, ro)) {
      for (it.seek(DataKeys.stateStart()); it.isValid(); it.next()) {
        out.add(RangeState.decode(it.value()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw new DataException("listing range states failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** Writes a range's state on its own (a range created here by bootstrap). */
  public void writeState(RangeState state) {
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(cf, DataKeys.state(state.descriptor().rangeId()), state.encode());
      write(wb);
    } catch (RocksDBException e) {
      throw new DataException("writing the state of range " + state.descriptor().rangeId() + " failed: " + e.getMessage(), e);
    }
  }

  /** Whether the range was merged away or its replica removed here (and not added again since). */
  public boolean isTombstoned(long rangeId) {
    return get(DataKeys.tombstone(rangeId)) != null;
  }

  /**
   * The tombstone of a replica removed from the range by the membership change of an entry (or
   * snapshot) of {@code term}, which {@link #removalTerm} reads back. Other tombstones (merged away,
   * dropped) are one byte.
   */
  static byte[] removalTombstone(long term) {
    byte[] out = new byte[Long.BYTES];
    for (int i = 0; i < Long.BYTES; i++) {
      out[i] = (byte) (term >>> (56 - 8 * i));
    }
    return out;
  }

  /**
   * The term of the entry that removed this node's replica of the range, if its tombstone says so;
   * 0 if the range was merged away or its replica dropped here (or it has no tombstone). A restart
   * needs it to keep a removed replica's group as long as the removal did ({@code RangeEvents.replicaRemoved}).
   */
  public long removalTerm(long rangeId) {
    byte[] v = get(DataKeys.tombstone(rangeId));
    if (v == null || v.length != Long.BYTES) {
      return 0;
    }
    long term = 0;
    for (byte b : v) {
      term = (term << 8) | (b & 0xff);
    }
    return term;
  }

  /**
   * A replica of the range is being added here again: forget that an earlier one was removed, but
   * remember that one lived here ({@link #heldBefore}).
   */
  public void clearTombstone(long rangeId) {
    try (WriteBatch wb = new WriteBatch()) {
      if (get(DataKeys.tombstone(rangeId)) != null) {
        wb.put(cf, DataKeys.formerReplica(rangeId), new byte[] {1});
      }
      wb.delete(cf, DataKeys.tombstone(rangeId));
      write(wb);
    } catch (RocksDBException e) {
      throw new DataException("clearing the tombstone of range " + rangeId + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Whether a replica of the range lived here before (it was removed, merged away or dropped, and
   * maybe added again since). Such a node may have acknowledged entries of the range it no longer
   * holds, so its empty replica must not vote; a node that never held the range may.
   */
  public boolean heldBefore(long rangeId) {
    return get(DataKeys.tombstone(rangeId)) != null || get(DataKeys.formerReplica(rangeId)) != null;
  }

  /**
   * Records that this node's replica of the range is going away, before its group and log go: its
   * vote and acknowledgements go with the log, even when it held no state yet.
   */
  public void markFormerReplica(long rangeId) {
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(cf, DataKeys.formerReplica(rangeId), new byte[] {1});
      write(wb);
    } catch (RocksDBException e) {
      throw new DataException("recording the former replica of range " + rangeId + " failed: " + e.getMessage(), e);
    }
  }

  /** Deletes a replica's data span and state and leaves a tombstone, in one write. */
  public void dropReplica(RangeState state) {
    long id = state.descriptor().rangeId();
    try (WriteBatch wb = new WriteBatch()) {
      wb.deleteRange(cf, DataKeys.user(state.descriptor().startKey()), DataKeys.userEnd(state.descriptor().endKey()));
      wb.delete(cf, DataKeys.state(id));
      wb.put(cf, DataKeys.tombstone(id), new byte[] {1});
      write(wb);
    } catch (RocksDBException e) {
      throw new DataException("dropping range " + id + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Drops a replica that may be stale: its span can overlap newer ranges this node holds (it
   * missed a merge or a move while it was away), whose keys must stay. Deletes the keys of the
   * span outside {@code keep} only, the state, and leaves a tombstone, in one write.
   */
  public void dropStaleReplica(RangeState state, List<RangeDescriptor> keep) {
    RangeDescriptor d = state.descriptor();
    long id = d.rangeId();
    List<RangeDescriptor> inside = new ArrayList<>();
    for (RangeDescriptor k : keep) {
      if (k.rangeId() != id && (d.endKey() == null || Keys.compare(k.startKey(), d.endKey()) < 0)
          && (k.endKey() == null || Keys.compare(k.endKey(), d.startKey()) > 0)) {
        inside.add(k);
      }
    }
    inside.sort((a, b) -> Keys.compare(a.startKey(), b.startKey()));
    try (WriteBatch wb = new WriteBatch()) {
      byte[] at = d.startKey();
      for (RangeDescriptor k : inside) {
        if (at != null && Keys.compare(k.startKey(), at) > 0) {
          wb.deleteRange(cf, DataKeys.user(at), DataKeys.user(k.startKey()));
        }
        if (k.endKey() == null) {
          at = null;
          break;
        }
        if (at != null && Keys.compare(k.endKey(), at) > 0) {
          at = k.endKey();
        }
      }
      if (at != null && (d.endKey() == null || Keys.compare(at, d.endKey()) < 0)) {
        wb.deleteRange(cf, DataKeys.user(at), DataKeys.userEnd(d.endKey()));
      }
      wb.delete(cf, DataKeys.state(id));
      wb.put(cf, DataKeys.tombstone(id), new byte[] {1});
      write(wb);
    } catch (RocksDBException e) {
      throw new DataException("dropping range " + id + " failed: " + e.getMessage(), e);
    }
  }

  /** Counts user keys in [from, to) of stored keys (tests, size estimates of small ranges). */
  public long countUserKeys(byte[] startKey, byte[] endKey) {
    long n = 0;
    try (Slice upper = new Slice(DataKeys.userEnd(endKey));
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(cf, ro)) {
      for (it.seek(DataKeys.user(startKey)); it.isValid(); it.next()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    views.closeAll(); // before the database closes: no RocksDB snapshot or iterator may outlive it
    writeOptions.close();
  }

  /** RocksDB failed under the range store: the node should stop serving this data. */
  public static final class DataException extends RuntimeException {
    public DataException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
