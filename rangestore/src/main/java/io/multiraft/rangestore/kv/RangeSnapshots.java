package io.multiraft.rangestore.kv;

import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.rangestore.range.Keys;
import java.util.ArrayList;
import java.util.List;
import io.multiraft.rangestore.range.RangeDescriptor;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

/**
 * A range snapshot: its state record and every user key of its span, read from one RocksDB
 * snapshot (a consistent view), with a trailing checksum. Restoring replaces the span and the
 * state record in one atomic step — a WriteBatch (a DeleteRange and the puts), or for a large
 * range one ingested SST file ({@link SnapshotIngest}) — so a crash leaves either the old range or
 * the new one, never a mix.
 */
final class RangeSnapshots {
  private RangeSnapshots() {}

  static byte[] build(RangeData data, RangeState state) {
    RangeDescriptor d = state.descriptor();
    Encoder e = new Encoder(4096);
    state.write(e);
    Snapshot snap = data.db().getSnapshot();
    try (Slice upper = new Slice(DataKeys.userEnd(d.endKey()));
        ReadOptions ro = new ReadOptions().setSnapshot(snap).setIterateUpperBound(upper);
        RocksIterator it = data.db().newIterator(data.cf(), ro)) {
      for (it.seek(DataKeys.user(d.startKey())); it.isValid(); it.next()) {
        e.u8(1).bytes(DataKeys.userKeyOf(it.key())).bytes(it.value());
      }
      it.status();
    } catch (RocksDBException ex) {
      throw new RangeData.DataException("reading range " + d.rangeId() + " for a snapshot failed: " + ex.getMessage(), ex);
    } finally {
      data.db().releaseSnapshot(snap);
    }
    e.u8(0); // end of pairs
    return e.finishWithChecksum();
  }

  /**
   * What a restore changed beyond the range itself: local ranges it took over (their replicas here
   * missed a merge) and split-off ranges this node should hold but does not (it missed the split).
   */
  record Restored(RangeState state, List<Long> subsumed, List<RangeDescriptor> missedSplits) {}

  /** Replaces this node's copy of the range with the snapshot's. */
  static Restored restore(RangeData data, long nodeId, long rangeId, byte[] snapshot) {
    Decoder d = Decoder.checked(snapshot, "snapshot of range " + rangeId);
    RangeState state = RangeState.read(d);
    RangeDescriptor desc = state.descriptor();
    if (desc.rangeId() != rangeId) {
      throw new IllegalStateException("a snapshot of range " + desc.rangeId() + " was handed to range " + rangeId);
    }
    List<KeyValue> pairs = new ArrayList<>();
    long bytes = 0;
    byte[] previous = null;
    while (d.u8("pair marker") == 1) {
      byte[] key = d.bytes("key");
      byte[] value = d.bytes("value");
      if (key == null || value == null || !desc.contains(key) || (previous != null && Keys.compare(previous, key) >= 0)) {
        throw new MalformedException("snapshot of range " + rangeId + " holds a pair outside " + desc + " or out of order");
      }
      pairs.add(new KeyValue(key, value));
      bytes += key.length + value.length;
      previous = key;
    }
    d.expectEnd("snapshot of range " + rangeId);
    List<Long> subsumed = new ArrayList<>();
    for (RangeState other : data.allStates()) {
      RangeDescriptor o = other.descriptor();
      // Only an older range can lie inside this span: it was merged into this one while the
      // replica here lagged. A newer one (higher generation) would mean this snapshot is stale.
      if (o.rangeId() != rangeId && desc.containsSpan(o.startKey(), o.endKey()) && o.generation() < desc.generation()) {
        subsumed.add(o.rangeId());
      }
    }
    if (data.ingestDir() != null && bytes >= SnapshotIngest.MIN_BYTES) {
      SnapshotIngest.ingest(data, state, pairs, subsumed);
    } else {
      writeBatch(data, state, pairs, subsumed);
    }
    List<RangeDescriptor> missed = new ArrayList<>();
    for (RangeDescriptor child : state.recentSplits()) {
      if (isMissing(data, nodeId, desc, child)) {
        missed.add(child);
      }
    }
    return new Restored(state, subsumed, missed);
  }

  private static void writeBatch(RangeData data, RangeState state, List<KeyValue> pairs, List<Long> subsumed) {
    RangeDescriptor desc = state.descriptor();
    try (WriteBatch wb = new WriteBatch()) {
      wb.deleteRange(data.cf(), DataKeys.user(desc.startKey()), DataKeys.userEnd(desc.endKey()));
      for (KeyValue kv : pairs) {
        wb.put(data.cf(), DataKeys.user(kv.key()), kv.value());
      }
      wb.put(data.cf(), DataKeys.state(desc.rangeId()), state.encode());
      for (long id : subsumed) {
        wb.delete(data.cf(), DataKeys.state(id));
        wb.put(data.cf(), DataKeys.tombstone(id), new byte[] {1});
      }
      data.write(wb);
    } catch (RocksDBException ex) {
      throw new RangeData.DataException("restoring range " + desc.rangeId() + " failed: " + ex.getMessage(), ex);
    }
  }

  /**
   * Whether {@code child}, split off {@code parent}, should have a replica here and has none: not
   * inside the parent any more (not merged back), listed with this node, and with neither state
   * nor tombstone here (a tombstone means it was merged away or this replica was removed).
   */
  static boolean isMissing(RangeData data, long nodeId, RangeDescriptor parent, RangeDescriptor child) {
    return !parent.containsSpan(child.startKey(), child.endKey()) && child.hasReplicaOn(nodeId)
        && data.get(DataKeys.state(child.rangeId())) == null && data.get(DataKeys.tombstone(child.rangeId())) == null;
  }
}
