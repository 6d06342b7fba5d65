package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.HardState;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.CorruptLogException;
import io.multiraft.spi.LogStoreException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CodecTest {

  @Test
  void logKeysSortByGroupThenIndexAsUnsignedBytes() {
    byte[] a = LogKeys.log(1, 255);
    byte[] b = LogKeys.log(1, 256);
    byte[] c = LogKeys.log(2, 1);
    assertTrue(Arrays.compareUnsigned(a, b) < 0);
    assertTrue(Arrays.compareUnsigned(b, c) < 0);
    assertTrue(Arrays.compareUnsigned(LogKeys.log(Long.MAX_VALUE, Long.MAX_VALUE), LogKeys.logEnd(Long.MAX_VALUE)) < 0,
        "the largest group still has an end key above all its keys");
    assertEquals(2, LogKeys.groupOf(c));
    assertEquals(256, LogKeys.indexOf(b));
  }

  @Test
  void anEntryRoundTripsWithItsTermTypeAndData() {
    Entry e = new Entry(9, 42, EntryType.CONF_CHANGE, new byte[] {1, 2, 3});
    byte[] v = EntryCodec.encode(LogKeys.log(3, 42), e);
    assertEquals(e, EntryCodec.decode(3, 42, v, "test"));
    assertEquals(9, EntryCodec.decodeTerm(3, 42, v, "test"));
  }

  @Test
  void encodingInPlaceGivesTheSameBytesAsEncodingAlone() {
    Entry e = new Entry(4, 77, EntryType.NORMAL, new byte[] {9, 8, 7, 6});
    byte[] key = LogKeys.log(12, 77);
    byte[] alone = EntryCodec.encode(key, e);
    byte[] buf = new byte[3 + key.length + alone.length];
    System.arraycopy(key, 0, buf, 1, key.length);
    int end = EntryCodec.encodeInto(buf, 1, 1 + key.length, e);
    assertEquals(buf.length - 2, end);
    assertArrayEquals(alone, Arrays.copyOfRange(buf, 1 + key.length, end));
  }

  @Test
  void anEntryReadUnderAnotherGroupOrIndexFailsItsChecksum() {
    byte[] v = EntryCodec.encode(LogKeys.log(3, 42), Entry.normal(1, 42, new byte[] {7}));
    assertThrows(CorruptLogException.class, () -> EntryCodec.decode(4, 42, v, "test"));
    assertThrows(CorruptLogException.class, () -> EntryCodec.decode(3, 43, v, "test"));
  }

  @Test
  void everyStateRecordRoundTrips() {
    HardState hs = new HardState(5, 3, 100);
    assertEquals(hs, StateCodec.readHardState(1, StateCodec.hardState(hs), "test"));
    assertArrayEquals(new long[] {10, 4}, StateCodec.readTruncated(1, StateCodec.truncated(10, 4), "test"));
    ConfState joint = new ConfState(new TreeSet<>(Set.of(1L, 4L)), new TreeSet<>(Set.of(9L)),
        new TreeSet<>(Set.of(1L, 2L)), new TreeSet<>(Set.of(2L)), true);
    assertEquals(joint, StateCodec.readConfState(1, StateCodec.confState(joint), "test"));
    SnapshotMeta meta = new SnapshotMeta(77, 6, joint);
    assertEquals(meta, StateCodec.readSnapshot(1, StateCodec.snapshot(meta), "test"));
    assertEquals(ConfState.EMPTY, StateCodec.readConfState(1, StateCodec.confState(ConfState.EMPTY), "test"));
  }

  @Test
  void aDamagedStateRecordIsRefusedNamingGroupAndKind() {
    byte[] v = StateCodec.hardState(new HardState(5, 3, 100));
    v[3] ^= 1;
    LogStoreException e = assertThrows(LogStoreException.class, () -> StateCodec.readHardState(12, v, "store X"));
    assertTrue(e.getMessage().contains("hard state record of group 12 in store X"), e.getMessage());
    assertThrows(LogStoreException.class, () -> StateCodec.readTruncated(12, new byte[] {1, 2}, "store X"));
  }
}
