package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Entry;
import io.multiraft.core.HardState;
import io.multiraft.core.LogStorage;
import io.multiraft.spi.CorruptLogException;
import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulated disk of the in-memory store: crashes, torn writes, corruption, failures. */
class MemoryLogStoreTest {
  private final MemoryLogStore store = new MemoryLogStore();

  private static List<Entry> entries(long from, long to, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(Entry.normal(term, i, new byte[] {(byte) i, (byte) term}));
    }
    return out;
  }

  private void write(boolean sync, long group, long from, long to) {
    LogBatch b = store.newBatch();
    b.append(group, entries(from, to, 1));
    b.hardState(group, new HardState(1, 0, to));
    store.write(List.of(b), sync);
  }

  @Test
  void aCrashLosesUnsyncedWritesAndKeepsSyncedOnes() {
    write(true, 1, 1, 5);
    write(false, 1, 6, 8);
    write(false, 2, 1, 3);
    assertEquals(8, store.storage(1).lastIndex());
    store.crash();
    assertEquals(5, store.storage(1).lastIndex());
    assertEquals(new HardState(1, 0, 5), store.storage(1).initialState().hardState());
    assertEquals(0, store.storage(2).lastIndex());
    assertEquals(List.of(1L), List.copyOf(store.groups()));
  }

  @Test
  void aSyncedWriteMakesEarlierUnsyncedWritesDurableToo() {
    write(false, 1, 1, 5);
    write(true, 2, 1, 1);
    store.crash();
    assertEquals(5, store.storage(1).lastIndex());
    assertEquals(1, store.storage(2).lastIndex());
  }

  @Test
  void anUnsyncedCompactionIsLostInACrashAndTheEntriesAreStillValid() {
    write(true, 1, 1, 10);
    store.compact(1, 6);
    assertEquals(7, store.storage(1).firstIndex());
    store.crash();
    assertEquals(1, store.storage(1).firstIndex());
    assertEquals(10, store.storage(1).entries(1, 11, Long.MAX_VALUE).size());
  }

  @Test
  void aTornCrashKeepsAPrefixOfEachGroupsWritesAndOnlySomeGroupsOfTheTornWrite() {
    int tornSomewhere = 0;
    for (long seed = 0; seed < 200; seed++) {
      MemoryLogStore s = new MemoryLogStore();
      LogBatch base = s.newBatch();
      for (long g = 1; g <= 8; g++) {
        base.append(g, entries(1, 2, 1));
      }
      s.write(List.of(base), true);
      for (int w = 0; w < 3; w++) {
        LogBatch b = s.newBatch();
        for (long g = 1; g <= 8; g++) {
          b.append(g, entries(3 + w, 3 + w, 1));
        }
        s.write(List.of(b), false);
      }
      int whole = s.crash(new SplittableRandom(seed));
      int withTornWrite = 0;
      for (long g = 1; g <= 8; g++) {
        long last = s.storage(g).lastIndex();
        // every group keeps the synced prefix and the writes that survived whole; the torn write
        // adds at most one more index to some groups
        assertTrue(last == 2 + whole || last == 3 + whole, "group " + g + " last " + last + " with " + whole + " whole");
        if (last == 3 + whole) {
          withTornWrite++;
        }
        assertEquals(last - 0, s.storage(g).entries(1, last + 1, Long.MAX_VALUE).size());
      }
      if (whole < 3 && withTornWrite > 0 && withTornWrite < 8) {
        tornSomewhere++;
      }
    }
    assertTrue(tornSomewhere > 0, "some seed must tear a write across groups");
  }

  @Test
  void aTornCrashIsReproducibleFromItsSeed() {
    List<Long> first = tornLastIndexes(42);
    assertEquals(first, tornLastIndexes(42));
  }

  private static List<Long> tornLastIndexes(long seed) {
    MemoryLogStore s = new MemoryLogStore();
    for (int w = 1; w <= 4; w++) {
      LogBatch b = s.newBatch();
      for (long g = 1; g <= 16; g++) {
        b.append(g, entries(w, w, 1));
      }
      s.write(List.of(b), false);
    }
    s.crash(new SplittableRandom(seed));
    List<Long> out = new ArrayList<>();
    for (long g = 1; g <= 16; g++) {
      out.add(s.storage(g).lastIndex());
    }
    return out;
  }

  @Test
  void aCorruptedEntryIsRefusedWithItsGroupAndIndex() {
    write(true, 3, 1, 5);
    store.corrupt(3, 4);
    LogStorage log = store.storage(3);
    CorruptLogException e = assertThrows(CorruptLogException.class, () -> log.entries(1, 6, Long.MAX_VALUE));
    assertEquals(3, e.groupId());
    assertEquals(4, e.index());
    assertThrows(CorruptLogException.class, () -> log.term(4));
    assertEquals(3, log.entries(1, 4, Long.MAX_VALUE).size(), "the entries before it still read");
    store.crash();
    assertThrows(CorruptLogException.class, () -> store.storage(3).term(4), "the corruption is on the disk");
  }

  @Test
  void aFailedWriteFailsTheStoreClosedUntilItIsReopened() {
    write(true, 1, 1, 2);
    store.failNextWrite("no space left on device");
    LogStoreException e = assertThrows(LogStoreException.class, () -> write(true, 1, 3, 3));
    assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
    assertThrows(LogStoreException.class, () -> write(true, 1, 3, 3), "further writes are refused");
    assertThrows(LogStoreException.class, () -> store.storage(1).lastIndex(), "and reads too");
    store.crash();
    assertEquals(2, store.storage(1).lastIndex(), "nothing synced was lost");
    write(true, 1, 3, 3);
    assertEquals(3, store.storage(1).lastIndex());
  }

  @Test
  void removeGroupIsDurableAtOnce() {
    write(true, 1, 1, 2);
    store.removeGroup(1);
    store.crash();
    assertTrue(store.groups().isEmpty());
  }
}
