package io.multiraft.rangestore.kv;

import java.util.List;
import org.rocksdb.Range;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;

/**
 * Sizes of ranges in this node's {@code data} column family, for the split trigger. A range owns a
 * contiguous span of stored keys, so its size is RocksDB's estimate over that span (files and
 * memtables: a freshly written range is mostly in the memtable), without reading any data.
 */
public final class RangeSizes {
  private final RangeData data;

  public RangeSizes(RangeData data) {
    this.data = data;
  }

  /** Approximate bytes of the user keys in [start, end); a null end is +infinity. */
  public long approximateBytes(byte[] start, byte[] end) {
    try (Slice s = new Slice(DataKeys.user(start)); Slice e = new Slice(DataKeys.userEnd(end))) {
      long[] sizes = data.db().getApproximateSizes(data.cf(), List.of(new Range(s, e)),
          SizeApproximationFlag.INCLUDE_FILES, SizeApproximationFlag.INCLUDE_MEMTABLES);
      return sizes.length == 0 ? 0 : sizes[0];
    }
  }

  /**
   * A user key that splits [start, end) into two halves of about equal bytes (keys plus values),
   * strictly after {@code start}; null if the span holds fewer than two keys. Reads the span once:
   * it is called only for a range about to be split, not on every check.
   */
  public byte[] middleKey(byte[] start, byte[] end) {
    long total = 0;
    int keys = 0;
    try (Slice upper = new Slice(DataKeys.userEnd(end));
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = data.db().newIterator(data.cf(), ro)) {
      for (it.seek(DataKeys.user(start)); it.isValid(); it.next()) {
        total += it.key().length + it.value().length;
        keys++;
      }
      if (keys < 2) {
        return null;
      }
      long half = total / 2;
      long seen = 0;
      byte[] last = null;
      for (it.seek(DataKeys.user(start)); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (last != null && seen >= half) {
          return DataKeys.userKeyOf(k); // the second half starts here (never at the first key)
        }
        seen += k.length + it.value().length;
        last = k;
      }
      // the last key alone holds more than half of the bytes: it starts the right half
      return DataKeys.userKeyOf(last);
    }
  }
}
