package io.multiraft.rangestore.kv;

import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
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
 * state record in one WriteBatch (a DeleteRange and the puts), so a crash leaves either the old
 * range or the new one, never a mix.
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
  record Restored(RangeState state, java.util.List<Long> subsumed, java.util.List<RangeDescriptor> missedSplits) {}

  /** Replaces this node's copy of the range with the snapshot's. */
  static Restored restore(RangeData data, long nodeId, long rangeId, byte[] snapshot) {
    Decoder d = Decoder.checked(snapshot, "snapshot of range " + rangeId);
    RangeState state = RangeState.read(d);
    RangeDescriptor desc = state.descriptor();
    if (desc.rangeId() != rangeId) {
      throw new IllegalStateException("a snapshot of range " + desc.rangeId() + " was handed to range " + rangeId);
    }
    try (WriteBatch wb = new WriteBatch()) {
      wb.deleteRange(data.cf(), DataKeys.user(desc.startKey()), DataKeys.userEnd(desc.endKey()));
      while (d.u8("pair marker") == 1) {
        byte[] key = d.bytes("key");
        byte[] value = d.bytes("value");
        if (key == null || value == null || !desc.contains(key)) {
          throw new io.multiraft.rangestore.codec.MalformedException("snapshot of range " + rangeId + " holds a pair outside " + desc);
        }
        wb.put(data.cf(), DataKeys.user(key), value);
      }
      d.expectEnd("snapshot of range " + rangeId);
      wb.put(data.cf(), DataKeys.state(rangeId), state.encode());
      java.util.List<Long> subsumed = new java.util.ArrayList<>();
      for (RangeState other : data.allStates()) {
        RangeDescriptor o = other.descriptor();
        // Only an older range can lie inside this span: it was merged into this one while the
        // replica here lagged. A newer one (higher generation) would mean this snapshot is stale.
        if (o.rangeId() != rangeId && desc.containsSpan(o.startKey(), o.endKey()) && o.generation() < desc.generation()) {
          wb.delete(data.cf(), DataKeys.state(o.rangeId()));
          wb.put(data.cf(), DataKeys.tombstone(o.rangeId()), new byte[] {1});
          subsumed.add(o.rangeId());
        }
      }
      data.write(wb);
      java.util.List<RangeDescriptor> missed = new java.util.ArrayList<>();
      for (RangeDescriptor child : state.recentSplits()) {
        if (isMissing(data, nodeId, desc, child)) {
          missed.add(child);
        }
      }
      return new Restored(state, subsumed, missed);
    } catch (RocksDBException ex) {
      throw new RangeData.DataException("restoring range " + rangeId + " failed: " + ex.getMessage(), ex);
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
