package io.multiraft.rangestore.api;

import io.multiraft.rangestore.kv.RangeData;
import io.multiraft.rangestore.kv.RangeSizes;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.route.Router;
import io.multiraft.rangestore.split.AutoSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The store as the {@link AutoSplitter} sees it: local routing, local range state, RocksDB sizes. */
final class AutoSplitRanges implements AutoSplitter.Ranges {
  private final RangeStore store;
  private final Router router;
  private final RangeData data;
  private final RangeSizes sizes;

  AutoSplitRanges(RangeStore store, Router router, RangeData data) {
    this.store = store;
    this.router = router;
    this.data = data;
    this.sizes = new RangeSizes(data);
  }

  /**
   * Ranges whose last known leader is this node. The routing hint may be stale; a split proposed
   * to a range we no longer lead fails harmlessly, and the new leader's node splits it instead.
   */
  @Override
  public List<RangeDescriptor> ledHere() {
    List<RangeDescriptor> out = new ArrayList<>();
    for (RangeDescriptor d : router.ranges()) {
      try {
        if (router.route(d.rangeId()).leaderHint() == store.nodeId()) {
          out.add(d);
        }
      } catch (RuntimeException e) {
        // removed since ranges() was read
      }
    }
    return out;
  }

  @Override
  public long appliedIndex(long rangeId) {
    RangeState st = data.readState(rangeId);
    return st == null ? -1 : st.appliedIndex();
  }

  @Override
  public long approximateBytes(RangeDescriptor d) {
    return sizes.approximateBytes(d.startKey(), d.endKey());
  }

  @Override
  public byte[] middleKey(RangeDescriptor d) {
    return sizes.middleKey(d.startKey(), d.endKey());
  }

  @Override
  public CompletableFuture<?> split(RangeDescriptor d, byte[] key) {
    // split() re-reads the descriptor through the leader: the split applies to the range as it is now
    return store.split(d.rangeId(), key);
  }
}
