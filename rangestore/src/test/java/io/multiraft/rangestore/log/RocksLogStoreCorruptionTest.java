package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.HardState;
import io.multiraft.core.LogStorage;
import io.multiraft.spi.CorruptLogException;
import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStoreException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged bytes on disk are refused with group, index and path named; never returned as entries. */
class RocksLogStoreCorruptionTest {
  @TempDir
  Path dir;
  Path db;

  @BeforeEach
  void writeTenEntries() {
    db = dir.resolve("db");
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      LogBatch b = store.newBatch();
      b.append(5, TestEntries.entries(5, 1, 10, 2, 40));
      b.hardState(5, new HardState(2, 1, 10));
      store.write(List.of(b), true);
    }
  }

  private void rewrite(long group, long index, java.util.function.UnaryOperator<byte[]> damage) throws Exception {
    try (RawDb raw = RawDb.open(db)) {
      byte[] key = LogKeys.log(group, index);
      byte[] value = raw.db.get(raw.family(RocksOptions.LOG_CF), key);
      raw.db.put(raw.family(RocksOptions.LOG_CF), key, damage.apply(value));
    }
  }

  private static byte[] flipBit(byte[] v, int at) {
    byte[] copy = v.clone();
    copy[at] ^= 0x10;
    return copy;
  }

  @Test
  void aFlippedBitInAStoredEntryIsDetectedOnReadWithGroupIndexAndPath() throws Exception {
    rewrite(5, 7, v -> flipBit(v, EntryCodec.HEADER_BYTES + 3));
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      LogStorage log = store.storage(5);
      CorruptLogException e = assertThrows(CorruptLogException.class, () -> log.entries(1, 11, Long.MAX_VALUE));
      assertEquals(5, e.groupId());
      assertEquals(7, e.index());
      assertTrue(e.getMessage().contains(db.toAbsolutePath().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
      assertThrows(CorruptLogException.class, () -> log.term(7));
      assertEquals(6, log.entries(1, 7, Long.MAX_VALUE).size(), "entries before the damage still read");
      assertEquals(2, log.term(8));
    }
  }

  @Test
  void aFlippedBitInTheTermIsDetectedToo() throws Exception {
    rewrite(5, 3, v -> flipBit(v, 11)); // low byte of the term
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      CorruptLogException e = assertThrows(CorruptLogException.class, () -> store.storage(5).term(3));
      assertEquals(3, e.index());
    }
  }

  @Test
  void anEntryCopiedUnderAnotherIndexIsDetected() throws Exception {
    try (RawDb raw = RawDb.open(db)) {
      byte[] four = raw.db.get(raw.family(RocksOptions.LOG_CF), LogKeys.log(5, 4));
      raw.db.put(raw.family(RocksOptions.LOG_CF), LogKeys.log(5, 6), four);
    }
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      CorruptLogException e = assertThrows(CorruptLogException.class, () -> store.storage(5).entries(6, 7, Long.MAX_VALUE));
      assertEquals(6, e.index());
    }
  }

  @Test
  void aTruncatedValueIsDetected() throws Exception {
    rewrite(5, 2, v -> Arrays.copyOf(v, 6));
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      CorruptLogException e = assertThrows(CorruptLogException.class, () -> store.storage(5).entries(2, 3, Long.MAX_VALUE));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void aMissingEntryInsideTheLogIsReportedAsCorruption() throws Exception {
    try (RawDb raw = RawDb.open(db)) {
      raw.db.delete(raw.family(RocksOptions.LOG_CF), LogKeys.log(5, 5));
    }
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      CorruptLogException e = assertThrows(CorruptLogException.class, () -> store.storage(5).entries(1, 11, Long.MAX_VALUE));
      assertEquals(5, e.index());
      assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
  }

  @Test
  void aCorruptLastEntryRefusesTheOpenNamingGroupIndexAndPath() throws Exception {
    rewrite(5, 10, v -> flipBit(v, EntryCodec.HEADER_BYTES));
    CorruptLogException e = assertThrows(CorruptLogException.class, () -> RocksLogStore.open(db, LogStoreConfig.forTests()));
    assertEquals(5, e.groupId());
    assertEquals(10, e.index());
    assertTrue(e.getMessage().contains(db.toAbsolutePath().toString()), e.getMessage());
  }

  @Test
  void aCorruptHardStateRecordRefusesTheOpenNamingTheGroup() throws Exception {
    try (RawDb raw = RawDb.open(db)) {
      byte[] key = LogKeys.state(5, StateCodec.HARD_STATE);
      byte[] v = raw.db.get(raw.family(RocksOptions.STATE_CF), key);
      raw.db.put(raw.family(RocksOptions.STATE_CF), key, flipBit(v, 5));
    }
    LogStoreException e = assertThrows(LogStoreException.class, () -> RocksLogStore.open(db, LogStoreConfig.forTests()));
    assertTrue(e.getMessage().contains("hard state record of group 5"), e.getMessage());
    assertTrue(e.getMessage().contains(db.toAbsolutePath().toString()), e.getMessage());
  }
}
