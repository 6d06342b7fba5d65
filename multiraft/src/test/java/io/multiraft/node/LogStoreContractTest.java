package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.HardState;
import io.multiraft.core.LogStorage;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.core.StorageException;
import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LogStore} must do, run against each implementation: extend it and say how to
 * open a store and how to reopen it on the same data. Exported in multiraft's test-jar.
 */
public abstract class LogStoreContractTest {

  /** A new, empty store. */
  protected abstract LogStore newStore() throws Exception;

  /**
   * Closes (or crashes) {@code store} and opens the same data again; everything written with
   * {@code sync = true} must be there. May return the same object.
   */
  protected abstract LogStore reopen(LogStore store) throws Exception;

  protected LogStore store;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The payload of entry (group, index, term): every entry's data is distinct. */
  protected static byte[] payload(long group, long index, long term) {
    return (group + "/" + index + "@" + term).getBytes(StandardCharsets.UTF_8);
  }

  protected static List<Entry> entries(long group, long from, long to, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(new Entry(term, i, i % 7 == 0 ? EntryType.CONF_CHANGE : EntryType.NORMAL, payload(group, i, term)));
    }
    return out;
  }

  protected void append(long group, long from, long to, long term) {
    LogBatch b = store.newBatch();
    b.append(group, entries(group, from, to, term));
    store.write(List.of(b), true);
  }

  protected void writeSynced(LogBatch... batches) {
    store.write(List.of(batches), true);
  }

  protected void reopenStore() throws Exception {
    store = reopen(store);
  }

  protected static void assertEntry(Entry e, long group, long index, long term) {
    assertEquals(index, e.index(), "index");
    assertEquals(term, e.term(), "term of " + group + "/" + index);
    assertEquals(index % 7 == 0 ? EntryType.CONF_CHANGE : EntryType.NORMAL, e.type());
    assertArrayEquals(payload(group, index, term), e.data(), "data of " + group + "/" + index);
  }

  protected static void assertLog(LogStorage log, long group, long first, long last, long term) {
    assertEquals(first, log.firstIndex(), "first index of group " + group);
    assertEquals(last, log.lastIndex(), "last index of group " + group);
    if (last >= first) {
      List<Entry> read = log.entries(first, last + 1, Long.MAX_VALUE);
      assertEquals(last - first + 1, read.size());
      for (int i = 0; i < read.size(); i++) {
        assertEntry(read.get(i), group, first + i, term);
        assertEquals(term, log.term(first + i));
      }
    }
  }

  // ---------------------------------------------------------------- append and read

  @Test
  void appendedEntriesReadBackAcrossThousandsOfGroupsAndAfterReopen() throws Exception {
    int groups = 3_000;
    int perGroup = 10;
    for (int i = 1; i <= perGroup; i++) {
      LogBatch b = store.newBatch();
      for (long g = 1; g <= groups; g++) {
        b.append(g, entries(g, i, i, 2));
      }
      writeSynced(b);
    }
    for (int round = 0; round < 2; round++) {
      assertEquals(groups, store.groups().size());
      for (long g = 1; g <= groups; g++) {
        assertLog(store.storage(g), g, 1, perGroup, 2);
      }
      reopenStore();
    }
  }

  @Test
  void oneWriteOfSeveralBatchesAppliesThemInOrder() {
    LogBatch first = store.newBatch();
    first.append(1, entries(1, 1, 10, 1));
    LogBatch second = store.newBatch();
    second.append(1, entries(1, 11, 12, 1));
    second.append(2, entries(2, 1, 3, 1));
    writeSynced(first, second);
    assertLog(store.storage(1), 1, 1, 12, 1);
    assertLog(store.storage(2), 2, 1, 3, 1);
  }

  @Test
  void appendAtOrBelowTheLastIndexReplacesTheStaleSuffix() throws Exception {
    append(1, 1, 10, 1);
    append(1, 6, 7, 2);
    for (int round = 0; round < 2; round++) {
      LogStorage log = store.storage(1);
      assertEquals(7, log.lastIndex());
      List<Entry> prefix = log.entries(1, 6, Long.MAX_VALUE);
      for (int i = 0; i < 5; i++) {
        assertEntry(prefix.get(i), 1, i + 1, 1);
      }
      List<Entry> tail = log.entries(6, 8, Long.MAX_VALUE);
      assertEntry(tail.get(0), 1, 6, 2);
      assertEntry(tail.get(1), 1, 7, 2);
      assertThrows(StorageException.Unavailable.class, () -> log.term(8));
      reopenStore();
    }
  }

  @Test
  void anOverwriteInALaterBatchOfTheSameWriteWins() {
    LogBatch first = store.newBatch();
    first.append(1, entries(1, 1, 10, 1));
    LogBatch second = store.newBatch();
    second.append(1, entries(1, 4, 5, 3));
    writeSynced(first, second);
    LogStorage log = store.storage(1);
    assertEquals(5, log.lastIndex());
    assertEquals(1, log.term(3));
    assertEquals(3, log.term(4));
    assertEntry(log.entries(5, 6, Long.MAX_VALUE).get(0), 1, 5, 3);
  }

  @Test
  void anAppendLeavingAGapRefusesTheWholeWrite() {
    append(2, 1, 2, 1);
    LogBatch b = store.newBatch();
    b.append(1, entries(1, 1, 3, 1));
    b.append(2, entries(2, 5, 6, 1));
    assertThrows(IllegalArgumentException.class, () -> writeSynced(b));
    assertEquals(0, store.storage(1).lastIndex(), "no part of the refused write is applied");
    assertEquals(2, store.storage(2).lastIndex());
    append(2, 3, 3, 1);
    assertLog(store.storage(2), 2, 1, 3, 1);
  }

  @Test
  void entriesHonourTheByteLimitButReturnAtLeastOneEntry() {
    append(1, 1, 10, 1);
    LogStorage log = store.storage(1);
    long one = entries(1, 1, 1, 1).get(0).sizeBytes();
    assertEquals(1, log.entries(1, 11, 0).size(), "at least one entry even with a zero limit");
    assertEquals(1, log.entries(1, 11, one).size());
    assertEquals(3, log.entries(1, 11, 3 * one).size());
    assertEquals(3, log.entries(1, 11, 4 * one - 1).size());
    assertEquals(10, log.entries(1, 11, Long.MAX_VALUE).size());
    assertEquals(2, log.entries(4, 6, Long.MAX_VALUE).size(), "hi is exclusive");
  }

  @Test
  void readsBeyondTheLastIndexThrowUnavailable() {
    append(1, 1, 5, 1);
    LogStorage log = store.storage(1);
    assertThrows(StorageException.Unavailable.class, () -> log.entries(4, 7, Long.MAX_VALUE));
    assertThrows(StorageException.Unavailable.class, () -> log.term(6));
  }

  @Test
  void aGroupNeverWrittenReadsAsEmpty() {
    LogStorage log = store.storage(42);
    assertEquals(1, log.firstIndex());
    assertEquals(0, log.lastIndex());
    assertEquals(0, log.term(0));
    assertEquals(HardState.EMPTY, log.initialState().hardState());
    assertEquals(ConfState.EMPTY, log.initialState().confState());
    assertEquals(List.of(), log.entries(1, 1, Long.MAX_VALUE));
    assertFalse(store.groups().contains(42L));
  }

  @Test
  void unsyncedWritesAreVisibleToReadersAtOnce() {
    LogBatch b = store.newBatch();
    b.append(1, entries(1, 1, 3, 1));
    b.hardState(1, new HardState(1, 0, 2));
    store.write(List.of(b), false);
    assertLog(store.storage(1), 1, 1, 3, 1);
    assertEquals(new HardState(1, 0, 2), store.storage(1).initialState().hardState());
  }

  @Test
  void anEmptyWriteIsHarmless() {
    writeSynced(store.newBatch());
    store.write(List.of(), true);
    assertTrue(store.groups().isEmpty());
  }

  // ---------------------------------------------------------------- state

  @Test
  void hardStateAndMembershipRoundTripThroughReopen() throws Exception {
    ConfState joint = new ConfState(new TreeSet<>(Set.of(1L, 2L, 4L)), new TreeSet<>(Set.of(5L)),
        new TreeSet<>(Set.of(1L, 2L, 3L)), new TreeSet<>(Set.of(3L)), true);
    LogBatch b = store.newBatch();
    b.append(7, entries(7, 1, 3, 4));
    b.hardState(7, new HardState(4, 2, 3));
    b.confState(7, joint);
    writeSynced(b);
    LogBatch later = store.newBatch();
    later.hardState(7, new HardState(5, 0, 3));
    writeSynced(later);
    reopenStore();
    LogStorage.InitialState st = store.storage(7).initialState();
    assertEquals(new HardState(5, 0, 3), st.hardState());
    assertEquals(joint, st.confState());
    assertLog(store.storage(7), 7, 1, 3, 4);
  }

  @Test
  void aSnapshotInstallReplacesTheLogAndRecordsItsMembership() throws Exception {
    append(1, 1, 10, 1);
    ConfState voters = ConfState.ofVoters(1, 2, 3);
    LogBatch b = store.newBatch();
    b.snapshot(1, new SnapshotMeta(20, 3, voters));
    b.hardState(1, new HardState(3, 0, 20));
    writeSynced(b);
    for (int round = 0; round < 2; round++) {
      LogStorage log = store.storage(1);
      assertEquals(21, log.firstIndex());
      assertEquals(20, log.lastIndex());
      assertEquals(3, log.term(20));
      assertThrows(StorageException.Compacted.class, () -> log.term(10));
      assertThrows(StorageException.Compacted.class, () -> log.entries(5, 11, Long.MAX_VALUE));
      assertEquals(voters, log.initialState().confState());
      assertEquals(new HardState(3, 0, 20), log.initialState().hardState());
      assertEquals(20, log.snapshot().index());
      assertEquals(3, log.snapshot().term());
      reopenStore();
    }
    append(1, 21, 22, 3);
    assertLog(store.storage(1), 1, 21, 22, 3);
  }

  @Test
  void aSnapshotInsideTheLogDropsTheEntriesAfterItToo() {
    append(1, 1, 10, 1);
    LogBatch b = store.newBatch();
    b.snapshot(1, new SnapshotMeta(5, 1, ConfState.ofVoters(1)));
    writeSynced(b);
    LogStorage log = store.storage(1);
    assertEquals(6, log.firstIndex());
    assertEquals(5, log.lastIndex());
    assertThrows(StorageException.Unavailable.class, () -> log.term(6));
  }

  @Test
  void aBootstrapAtIndexTenTermFiveStartsAnEmptyLogThere() throws Exception {
    ConfState voters = ConfState.ofVoters(1, 2, 3);
    LogBatch b = store.newBatch();
    b.bootstrap(9, new SnapshotMeta(10, 5, voters), new HardState(5, 0, 10));
    writeSynced(b);
    for (int round = 0; round < 2; round++) {
      LogStorage log = store.storage(9);
      assertTrue(store.groups().contains(9L));
      assertEquals(11, log.firstIndex());
      assertEquals(10, log.lastIndex());
      assertEquals(5, log.term(10));
      assertThrows(StorageException.Compacted.class, () -> log.term(9));
      assertEquals(new HardState(5, 0, 10), log.initialState().hardState());
      assertEquals(voters, log.initialState().confState());
      reopenStore();
    }
    LogBatch gap = store.newBatch();
    gap.append(9, entries(9, 12, 12, 5));
    assertThrows(IllegalArgumentException.class, () -> writeSynced(gap));
    append(9, 11, 13, 6);
    assertLog(store.storage(9), 9, 11, 13, 6);
  }

  @Test
  void theStoreOffersTheRecordedSnapshotUntilTheLogIsCompactedPastIt() {
    LogBatch b = store.newBatch();
    b.bootstrap(3, new SnapshotMeta(10, 5, ConfState.ofVoters(1)), new HardState(5, 0, 10));
    writeSynced(b);
    append(3, 11, 20, 5);
    assertEquals(10, store.storage(3).snapshot().index());
    store.compact(3, 15);
    assertThrows(StorageException.SnapshotTemporarilyUnavailable.class, () -> store.storage(3).snapshot());
  }

  // ---------------------------------------------------------------- compaction

  @Test
  void compactedEntriesThrowCompactedAndTheCompactionPointKeepsItsTerm() throws Exception {
    append(1, 1, 5, 1);
    append(1, 6, 10, 2);
    store.compact(1, 7);
    for (int round = 0; round < 2; round++) {
      LogStorage log = store.storage(1);
      assertEquals(8, log.firstIndex());
      assertEquals(10, log.lastIndex());
      assertEquals(2, log.term(7), "the term at the compaction point is remembered");
      assertThrows(StorageException.Compacted.class, () -> log.term(6));
      assertThrows(StorageException.Compacted.class, () -> log.entries(7, 9, Long.MAX_VALUE));
      assertEquals(3, log.entries(8, 11, Long.MAX_VALUE).size());
      // a compaction is durable once a later synced write is
      writeSynced(store.newBatch());
      reopenStore();
    }
  }

  @Test
  void compactionAtOrBelowTheCompactionPointDoesNothing() {
    append(1, 1, 10, 1);
    store.compact(1, 5);
    store.compact(1, 5);
    store.compact(1, 3);
    assertEquals(6, store.storage(1).firstIndex());
    assertEquals(1, store.storage(1).term(5));
  }

  @Test
  void compactionBeyondTheLastIndexCompactsOnlyWhatIsStored() {
    append(1, 1, 10, 4);
    store.compact(1, 50);
    LogStorage log = store.storage(1);
    assertEquals(11, log.firstIndex());
    assertEquals(10, log.lastIndex());
    assertEquals(4, log.term(10));
    append(1, 11, 12, 4);
    assertLog(log, 1, 11, 12, 4);
  }

  @Test
  void anAppendReachingBelowTheCompactionPointSkipsTheCompactedPart() {
    append(1, 1, 10, 1);
    store.compact(1, 5);
    append(1, 3, 8, 2);
    LogStorage log = store.storage(1);
    assertEquals(6, log.firstIndex());
    assertEquals(8, log.lastIndex());
    assertEquals(1, log.term(5));
    assertEntry(log.entries(6, 7, Long.MAX_VALUE).get(0), 1, 6, 2);
  }

  @Test
  void compactionAcrossThousandsOfGroupsKeepsEachGroupsOwnTail() throws Exception {
    int groups = 2_000;
    for (int round = 0; round < 2; round++) {
      LogBatch b = store.newBatch();
      for (long g = 1; g <= groups; g++) {
        b.append(g, entries(g, round * 10 + 1, round * 10 + 10, 1));
      }
      writeSynced(b);
    }
    for (long g = 1; g <= groups; g++) {
      store.compact(g, g % 19);
    }
    writeSynced(store.newBatch());
    reopenStore();
    for (long g = 1; g <= groups; g++) {
      assertLog(store.storage(g), g, g % 19 + 1, 20, 1);
    }
  }

  // ---------------------------------------------------------------- removal

  @Test
  void removeGroupDeletesEveryKeyOfThatGroupAndNothingElse() throws Exception {
    LogBatch b = store.newBatch();
    b.bootstrap(1, new SnapshotMeta(3, 1, ConfState.ofVoters(1)), new HardState(1, 1, 3));
    b.append(1, entries(1, 4, 9, 1));
    b.append(2, entries(2, 1, 9, 1));
    b.hardState(2, new HardState(1, 1, 9));
    writeSynced(b);
    store.compact(1, 5);
    store.removeGroup(1);
    for (int round = 0; round < 2; round++) {
      assertEquals(Set.of(2L), store.groups());
      LogStorage gone = store.storage(1);
      assertEquals(1, gone.firstIndex());
      assertEquals(0, gone.lastIndex());
      assertEquals(HardState.EMPTY, gone.initialState().hardState());
      assertEquals(ConfState.EMPTY, gone.initialState().confState());
      assertLog(store.storage(2), 2, 1, 9, 1);
      assertEquals(new HardState(1, 1, 9), store.storage(2).initialState().hardState());
      reopenStore();
    }
    LogBatch again = store.newBatch();
    again.bootstrap(1, new SnapshotMeta(100, 7, ConfState.ofVoters(1)), new HardState(7, 0, 100));
    writeSynced(again);
    assertEquals(101, store.storage(1).firstIndex());
    assertEquals(7, store.storage(1).term(100));
  }
}
