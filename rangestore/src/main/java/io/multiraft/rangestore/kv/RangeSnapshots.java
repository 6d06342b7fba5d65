package io.multiraft.rangestore.kv;

import io.multiraft.spi.SnapshotReader;
import io.multiraft.spi.SnapshotStreams;
import io.multiraft.core.SnapshotData;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Restoring a range snapshot ({@link SnapshotChunks} stream): with a staging directory the stream
 * becomes SST files ingested in one step ({@link RangeSnapshotSink}, {@link RangeSnapshotInstall});
 * without one (small test databases) one WriteBatch replaces the span. Either way a crash leaves
 * the old range or the new one, never a mix.
 */
final class RangeSnapshots {
  private RangeSnapshots() {}

  /**
   * What a restore changed beyond the range itself: local ranges it took over (their replicas here
   * missed a merge) and split-off ranges this node should hold but does not (it missed the split).
   */
  record Restored(RangeState state, List<Long> subsumed, List<RangeDescriptor> missedSplits) {}

  /** Replaces this node's copy of the range with the snapshot's. */
  static Restored restore(RangeData data, long nodeId, long rangeId, SnapshotData snapshot) {
    if (snapshot instanceof StagedRangeSnapshot staged) {
      if (staged.rangeId() != rangeId) {
        throw new IllegalStateException("a snapshot of range " + staged.rangeId() + " was handed to range " + rangeId);
      }
      return RangeSnapshotInstall.install(data, nodeId, staged);
    }
    RangeSnapshotSink sink = data.snapshotSink();
    if (sink == null) {
      return writeBatch(data, nodeId, rangeId, snapshot);
    }
    StagedRangeSnapshot staged;
    try {
      staged = sink.stage(rangeId, snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException("staging a snapshot of range " + rangeId + " failed: " + e.getMessage(), e);
    }
    try {
      return RangeSnapshotInstall.install(data, nodeId, staged);
    } finally {
      staged.release();
    }
  }

  /** Ranges of this node inside {@code desc}'s span that it took over by a merge this replica missed. */
  static List<Long> subsumed(RangeData data, RangeDescriptor desc) {
    List<Long> subsumed = new ArrayList<>();
    for (RangeState other : data.allStates()) {
      RangeDescriptor o = other.descriptor();
      // Only an older range can lie inside this span: it was merged into this one while the
      // replica here lagged. A newer one (higher generation) would mean this snapshot is stale.
      if (o.rangeId() != desc.rangeId() && desc.containsSpan(o.startKey(), o.endKey()) && o.generation() < desc.generation()) {
        subsumed.add(o.rangeId());
      }
    }
    return subsumed;
  }

  static Restored restored(RangeData data, long nodeId, RangeState state, List<Long> subsumed) {
    List<RangeDescriptor> missed = new ArrayList<>();
    for (RangeDescriptor child : state.recentSplits()) {
      if (isMissing(data, nodeId, state.descriptor(), child)) {
        missed.add(child);
      }
    }
    return new Restored(state, subsumed, missed);
  }

  /** The whole snapshot in one WriteBatch: for databases without a staging directory (small, tests). */
  private static Restored writeBatch(RangeData data, long nodeId, long rangeId, SnapshotData snapshot) {
    try (WriteBatch wb = new WriteBatch()) {
      RangeState[] state = new RangeState[1];
      SnapshotChunks.Parser parser = new SnapshotChunks.Parser(new SnapshotChunks.Records() {
        @Override
        public void state(RangeState s) {
          if (s.descriptor().rangeId() != rangeId) {
            throw new IllegalStateException("a snapshot of range " + s.descriptor().rangeId() + " was handed to range " + rangeId);
          }
          state[0] = s;
          RangeDescriptor d = s.descriptor();
          try {
            wb.deleteRange(data.cf(), DataKeys.user(d.startKey()), DataKeys.userEnd(d.endKey()));
          } catch (RocksDBException e) {
            throw new RangeData.DataException(e.getMessage(), e);
          }
        }

        @Override
        public void pair(ByteBuffer key, ByteBuffer value) {
          byte[] k = new byte[key.remaining()];
          key.get(key.position(), k);
          byte[] v = new byte[value.remaining()];
          value.get(value.position(), v);
          if (k.length == 0 || k[0] != DataKeys.USER || !state[0].descriptor().contains(DataKeys.userKeyOf(k))) {
            throw new MalformedException("snapshot of range " + rangeId + " holds a key outside " + state[0].descriptor());
          }
          try {
            wb.put(data.cf(), k, v);
          } catch (RocksDBException e) {
            throw new RangeData.DataException(e.getMessage(), e);
          }
        }

        @Override
        public void end() {}
      }, "snapshot of range " + rangeId);
      try (SnapshotReader r = SnapshotStreams.open(snapshot)) {
        for (ByteBuffer c = r.next(); c != null; c = r.next()) {
          parser.feed(c);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      parser.finish();
      RangeState s = state[0];
      List<Long> subsumed = subsumed(data, s.descriptor());
      wb.put(data.cf(), DataKeys.state(rangeId), s.encode());
      for (long id : subsumed) {
        wb.delete(data.cf(), DataKeys.state(id));
        wb.put(data.cf(), DataKeys.tombstone(id), new byte[] {1});
      }
      data.write(wb);
      return restored(data, nodeId, s, subsumed);
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
