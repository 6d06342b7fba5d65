package io.multiraft.rangestore.api;

import io.multiraft.rangestore.kv.DataKeys;
import io.multiraft.rangestore.kv.RangeData;
import java.nio.ByteBuffer;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Allocates ids for new ranges without asking anyone: the node id in the high bits and a local
 * sequence below, so two nodes never pick the same id. The sequence is reserved in blocks that are
 * recorded before use, so a restart never hands out an id again.
 */
final class RangeIds {
  static final int SEQUENCE_BITS = 40;
  private static final long BLOCK = 1024;
  private static final byte[] KEY = DataKeys.local("range-id-reserved");

  private final long nodeId;
  private final RangeData data;
  private final org.rocksdb.ColumnFamilyHandle cf;
  private long next;
  private long reservedUpTo;

  RangeIds(long nodeId, RangeData data, org.rocksdb.ColumnFamilyHandle cf) {
    this.nodeId = nodeId;
    this.data = data;
    this.cf = cf;
    byte[] v = data.get(KEY);
    this.next = v == null ? 1 : ByteBuffer.wrap(v).getLong();
    this.reservedUpTo = next;
  }

  synchronized long next() {
    if (next >= reservedUpTo) {
      long upTo = next + BLOCK;
      try (WriteBatch wb = new WriteBatch()) {
        wb.put(cf, KEY, ByteBuffer.allocate(8).putLong(upTo).array());
        data.write(wb);
      } catch (RocksDBException e) {
        throw new RangeData.DataException("reserving range ids failed: " + e.getMessage(), e);
      }
      reservedUpTo = upTo;
    }
    return (nodeId << SEQUENCE_BITS) | next++;
  }
}
