package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core's view of the log: storage plus unstable entries. */
class RaftLogTest {

  /** Entries 1..n with the given terms, each carrying a payload of {@code payload} bytes. */
  static List<Entry> entries(long firstIndex, int payload, long... terms) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      out.add(Entry.normal(terms[i], firstIndex + i, new byte[payload]));
    }
    return out;
  }

  private static MemoryStorage stored(long... terms) {
    MemoryStorage s = MemoryStorage.withVoters(1, 2, 3);
    s.append(entries(1, 0, terms));
    return s;
  }

  private static long[] terms(RaftLog log) {
    long[] out = new long[(int) (log.lastIndex() - log.firstIndex() + 1)];
    for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
      out[(int) (i - log.firstIndex())] = log.term(i);
    }
    return out;
  }

  @Test
  void maybeAppendRefusesWhenThePreviousEntryDoesNotMatch() {
    RaftLog log = new RaftLog(stored(1, 2, 3), Long.MAX_VALUE);
    assertEquals(-1, log.maybeAppend(3, 2, 3, entries(4, 0, 4)));
    assertEquals(-1, log.maybeAppend(4, 3, 3, entries(5, 0, 4)), "previous index beyond our log");
    assertEquals(3, log.lastIndex());
    assertEquals(0, log.committed, "a refused append commits nothing");
  }

  @Test
  void maybeAppendAppendsAndCommitsAtMostTheLastNewEntry() {
    RaftLog log = new RaftLog(stored(1, 2, 3), Long.MAX_VALUE);
    assertEquals(4, log.maybeAppend(3, 3, 10, entries(4, 0, 4)));
    assertEquals(4, log.lastIndex());
    assertEquals(4, log.committed, "leader commit 10 is clamped to the last new entry");
    assertEquals(3, log.maybeAppend(2, 2, 10, entries(3, 0, 3)));
    assertEquals(4, log.committed, "commit never moves back");
  }

  @Test
  void maybeAppendDoesNotTruncateMatchingEntries() {
    RaftLog log = new RaftLog(stored(1, 2, 3), Long.MAX_VALUE);
    // A delayed append carrying entries we already have must not drop entry 3 (§5.3).
    assertEquals(2, log.maybeAppend(1, 1, 0, entries(2, 0, 2)));
    assertEquals(3, log.lastIndex());
    assertArrayEquals(new long[] {1, 2, 3}, terms(log));
    assertTrue(log.unstableEntries().isEmpty(), "nothing new to persist");
  }

  @Test
  void maybeAppendReplacesTheConflictingSuffix() {
    RaftLog log = new RaftLog(stored(1, 2, 3, 3), Long.MAX_VALUE);
    assertEquals(3, log.maybeAppend(1, 1, 0, entries(2, 0, 2, 4)));
    assertArrayEquals(new long[] {1, 2, 4}, terms(log), "entry 3 replaced and entry 4 dropped");
    assertEquals(3, log.unstable.offset);
    assertEquals(2, log.persistedIndex());
  }

  @Test
  void maybeAppendConflictingWithACommittedEntryIsABug() {
    RaftLog log = new RaftLog(stored(1, 2, 3), Long.MAX_VALUE);
    log.commitTo(3);
    assertThrows(Invariants.InvariantViolation.class, () -> log.maybeAppend(1, 1, 3, entries(2, 0, 5)));
  }

  @Test
  void findConflictByTerm() {
    RaftLog log = new RaftLog(stored(1, 1, 2, 2, 4), Long.MAX_VALUE);
    assertArrayEquals(new long[] {5, 4}, log.findConflictByTerm(5, 4));
    assertArrayEquals(new long[] {5, 4}, log.findConflictByTerm(5, 9));
    assertArrayEquals(new long[] {4, 2}, log.findConflictByTerm(5, 3), "skips the whole term-4 run");
    assertArrayEquals(new long[] {2, 1}, log.findConflictByTerm(5, 1));
    assertArrayEquals(new long[] {3, 2}, log.findConflictByTerm(3, 2));
    assertArrayEquals(new long[] {0, 0}, log.findConflictByTerm(5, 0));
  }

  @Test
  void findConflictByTermStopsAtTheCompactionPoint() {
    MemoryStorage s = stored(1, 1, 2, 2, 4);
    s.compact(2);
    RaftLog log = new RaftLog(s, Long.MAX_VALUE);
    assertArrayEquals(new long[] {2, 1}, log.findConflictByTerm(5, 1), "the compaction point's term is still known");
    assertArrayEquals(new long[] {1, 0}, log.findConflictByTerm(5, 0), "below it the term is unknown: 0");
  }

  @Test
  void sliceIsLimitedInBytesButReturnsAtLeastOneEntry() {
    MemoryStorage s = MemoryStorage.withVoters(1);
    s.append(entries(1, 10, 1, 1, 1, 1, 1)); // each entry is 34 bytes
    RaftLog log = new RaftLog(s, Long.MAX_VALUE);
    long one = Entry.OVERHEAD_BYTES + 10;
    assertEquals(1, log.slice(1, 6, 0).size(), "at least one entry, whatever the limit");
    assertEquals(1, log.slice(1, 6, one).size());
    assertEquals(1, log.slice(1, 6, 2 * one - 1).size());
    assertEquals(2, log.slice(1, 6, 2 * one).size());
    assertEquals(5, log.slice(1, 6, Long.MAX_VALUE).size());
    assertEquals(List.of(), log.slice(3, 3, Long.MAX_VALUE));
    assertThrows(Invariants.InvariantViolation.class, () -> log.slice(1, 7, Long.MAX_VALUE), "beyond the last index");
  }

  @Test
  void sliceAcrossStableAndUnstableRespectsTheLimit() {
    MemoryStorage s = MemoryStorage.withVoters(1);
    s.append(entries(1, 10, 1, 1, 1));
    RaftLog log = new RaftLog(s, Long.MAX_VALUE);
    log.append(entries(4, 10, 2, 2, 2));
    long one = Entry.OVERHEAD_BYTES + 10;
    List<Entry> got = log.slice(2, 7, 3 * one);
    assertEquals(List.of(2L, 3L, 4L), got.stream().map(Entry::index).toList());
    assertEquals(List.of(1L, 1L, 2L), got.stream().map(Entry::term).toList());
    assertEquals(5, log.slice(2, 7, Long.MAX_VALUE).size());
    assertEquals(1, log.slice(3, 7, 0).size(), "at least one, even when it is the last stable one");
    assertEquals(1, log.slice(4, 7, 0).size(), "at least one, from the unstable part");
    assertEquals(2, log.entries(5, Long.MAX_VALUE).size());
    assertEquals(List.of(), log.entries(7, Long.MAX_VALUE), "nothing beyond the last index");
  }

  @Test
  void unstableEntriesShadowTheStoredSuffixUntilPersisted() {
    MemoryStorage s = stored(1, 1, 1);
    RaftLog log = new RaftLog(s, Long.MAX_VALUE);
    log.append(entries(2, 0, 5)); // a new leader overwrote entries 2..3
    assertEquals(2, log.lastIndex());
    assertEquals(5, log.term(2), "the unstable entry wins over the stored one");
    assertEquals(1, log.term(1));
    assertThrows(StorageException.Unavailable.class, () -> log.term(3), "entry 3 is gone although still stored");
    assertEquals(1, log.persistedIndex());

    // Persist as the owner would, then mark stable.
    s.append(log.unstableEntries());
    log.stableTo(2, 5);
    assertTrue(log.unstableEntries().isEmpty());
    assertEquals(2, log.lastIndex());
    assertEquals(5, log.term(2));
    assertEquals(2, log.persistedIndex());
  }

  @Test
  void stableToWithAStaleTermIsIgnored() {
    RaftLog log = new RaftLog(stored(1), Long.MAX_VALUE);
    log.append(entries(2, 0, 2, 2));
    // Before the owner's write finished, a new leader replaced entry 3.
    log.append(entries(3, 0, 3));
    log.stableTo(3, 2);
    assertEquals(2, log.unstableEntries().size(), "entries replaced after the Ready must stay unstable");
    log.stableTo(2, 2);
    assertEquals(List.of(3L), log.unstableEntries().stream().map(Entry::index).toList());
  }

  @Test
  void termOfCompactedAndUnavailableIndexes() {
    MemoryStorage s = stored(1, 2, 3, 4, 5);
    s.createSnapshot(3, ConfState.ofVoters(1, 2, 3), new byte[0]);
    s.compact(3);
    RaftLog log = new RaftLog(s, Long.MAX_VALUE);
    assertEquals(4, log.firstIndex());
    assertEquals(3, log.term(3), "the compaction point's term is known");
    assertThrows(StorageException.Compacted.class, () -> log.term(2));
    assertThrows(StorageException.Unavailable.class, () -> log.term(6));
    assertEquals(0, log.termOrZero(2));
    assertEquals(0, log.termOrZero(6));
    assertFalse(log.matchTerm(2, 2));
    assertThrows(StorageException.Compacted.class, () -> log.slice(3, 5, Long.MAX_VALUE));
    assertThrows(StorageException.Compacted.class, () -> log.entries(2, Long.MAX_VALUE));
    assertEquals(3, log.committed, "a log starts committed at its compaction point");
  }

  @Test
  void restoreFromSnapshotReplacesTheLog() {
    RaftLog log = new RaftLog(stored(1, 1, 1), Long.MAX_VALUE);
    Snapshot snap = new Snapshot(new SnapshotMeta(10, 4, ConfState.ofVoters(1, 2, 3)), new byte[] {1});
    log.restore(snap);
    assertEquals(11, log.firstIndex());
    assertEquals(10, log.lastIndex());
    assertEquals(4, log.term(10));
    assertEquals(10, log.committed);
    assertThrows(StorageException.Compacted.class, () -> log.term(3));
    assertEquals(3, log.persistedIndex(), "the snapshot counts only once persisted");
    log.append(entries(11, 0, 4));
    assertEquals(11, log.lastIndex());
    assertEquals(snap, log.snapshot(), "the pending snapshot is what a leader would send");
  }

  @Test
  void isUpToDateComparesLastTermThenLength() {
    RaftLog log = new RaftLog(stored(1, 2, 2), Long.MAX_VALUE);
    assertTrue(log.isUpToDate(3, 2));
    assertTrue(log.isUpToDate(4, 2));
    assertTrue(log.isUpToDate(1, 3), "higher last term wins even if shorter");
    assertFalse(log.isUpToDate(2, 2), "same last term, shorter");
    assertFalse(log.isUpToDate(10, 1), "lower last term loses even if longer");
  }

  @Test
  void commitToNeverMovesBackAndNeverPassesTheLastIndex() {
    RaftLog log = new RaftLog(stored(1, 1, 1), Long.MAX_VALUE);
    log.commitTo(2);
    log.commitTo(1);
    assertEquals(2, log.committed);
    assertThrows(Invariants.InvariantViolation.class, () -> log.commitTo(4));
  }

  @Test
  void nextCommittedEntriesAreBoundedAndHandedOutOnce() {
    MemoryStorage s = MemoryStorage.withVoters(1);
    s.append(entries(1, 10, 1, 1, 1, 1));
    long one = Entry.OVERHEAD_BYTES + 10;
    RaftLog log = new RaftLog(s, 2 * one);
    assertFalse(log.hasNextCommittedEntries());
    log.commitTo(4);
    assertTrue(log.hasNextCommittedEntries());
    List<Entry> first = log.nextCommittedEntries(Long.MAX_VALUE);
    assertEquals(List.of(1L, 2L), first.stream().map(Entry::index).toList(), "bounded by maxApplyingBytes");
    log.acceptApplying(2);
    assertEquals(List.of(3L), log.nextCommittedEntries(1).stream().map(Entry::index).toList(), "at least one");
    log.acceptApplying(3);
    log.appliedTo(3);
    assertEquals(List.of(4L), log.nextCommittedEntries(Long.MAX_VALUE).stream().map(Entry::index).toList());
    log.acceptApplying(4);
    assertFalse(log.hasNextCommittedEntries());
    assertThrows(Invariants.InvariantViolation.class, () -> log.appliedTo(5), "applied beyond committed");
  }
}
