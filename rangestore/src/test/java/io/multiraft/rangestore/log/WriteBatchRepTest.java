package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** Our Java encoding of a WriteBatch must be byte for byte what RocksDB itself produces, and apply. */
class WriteBatchRepTest {
  @TempDir
  Path dir;

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed + i * 7);
    }
    return b;
  }

  @Test
  void theEncodingIsRocksDbsOwnForPutsAndRangeDeletesInAnyFamily() throws Exception {
    try (RawDb raw = RawDb.create(dir.resolve("db"), List.of(RocksOptions.DEFAULT_CF, "a", "b"))) {
      ColumnFamilyHandle a = raw.family("a");
      ColumnFamilyHandle b = raw.family("b");
      WriteBatchRep ours = new WriteBatchRep(16);
      try (WriteBatch theirs = new WriteBatch()) {
        // value lengths around the varint boundaries (127/128, 16383/16384)
        for (int len : new int[] {0, 1, 127, 128, 300, 16_383, 16_384, 70_000}) {
          byte[] key = bytes(16, len);
          byte[] value = bytes(len, 3);
          ours.put(a.getID(), key, value);
          theirs.put(a, key, value);
        }
        ours.deleteRange(b.getID(), bytes(8, 1), bytes(8, 2));
        theirs.deleteRange(b, bytes(8, 1), bytes(8, 2));
        ours.put(0, bytes(3, 9), bytes(5, 9));
        theirs.put(bytes(3, 9), bytes(5, 9));
        ours.deleteRange(0, bytes(2, 0), bytes(2, 5));
        theirs.deleteRange(bytes(2, 0), bytes(2, 5));
        assertArrayEquals(theirs.data(), ours.toBytes());
        assertEquals(theirs.count(), ours.count());
      }
    }
  }

  @Test
  void preEncodedRecordsApplyThroughTheByteArrayConstructor() throws Exception {
    try (RawDb raw = RawDb.create(dir.resolve("db"), List.of(RocksOptions.DEFAULT_CF, "log"))) {
      ColumnFamilyHandle log = raw.family("log");
      byte[] k1 = "k1".getBytes(StandardCharsets.UTF_8);
      byte[] k2 = "k2".getBytes(StandardCharsets.UTF_8);
      byte[] records = new byte[WriteBatchRep.putBytes(log.getID(), k1, k1) + WriteBatchRep.putBytes(log.getID(), k2, k2)];
      int end = WriteBatchRep.encodePut(records, 0, log.getID(), k1, "v1".getBytes(StandardCharsets.UTF_8));
      end = WriteBatchRep.encodePut(records, end, log.getID(), k2, "v2".getBytes(StandardCharsets.UTF_8));
      WriteBatchRep rep = new WriteBatchRep(8);
      rep.appendEncoded(records, 0, end, 2);
      try (WriteBatch wb = new WriteBatch(rep.toBytes()); WriteOptions wo = new WriteOptions()) {
        raw.db.write(wo, wb);
      }
      assertEquals("v1", new String(raw.db.get(log, k1), StandardCharsets.UTF_8));
      assertEquals("v2", new String(raw.db.get(log, k2), StandardCharsets.UTF_8));
      rep.reset();
      assertEquals(0, rep.count());
      assertEquals(WriteBatchRep.HEADER_BYTES, rep.sizeBytes());
    }
  }

  @Test
  void theLargestGroupIdsAndIndexesEncodeAsKeys() {
    assertEquals(16, LogKeys.log(Long.MAX_VALUE, Long.MAX_VALUE).length);
    assertEquals(RocksDB.DEFAULT_COLUMN_FAMILY.length, RocksOptions.DEFAULT_CF.length());
  }
}
