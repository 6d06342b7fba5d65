package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The persisted-but-unapplied entries a group keeps in memory: never a wrong entry, never a gap. */
class StableTailTest {

  private static List<Entry> entries(long first, long... terms) {
    return RaftLogTest.entries(first, 10, terms);
  }

  @Test
  void servesWhatWasPersistedUntilApplied() {
    StableTail t = new StableTail(1 << 20);
    List<Entry> es = entries(5, 1, 1, 2);
    t.add(es, 0, es.size());
    assertTrue(t.contains(5) && t.contains(7));
    assertSame(es.get(2), t.get(7));
    assertEquals(2, t.term(7));
    t.dropThrough(6);
    assertFalse(t.contains(6));
    assertEquals(1, t.term(6), "the entry before the cached ones keeps its term");
    assertEquals(-1, t.term(5));
    t.dropThrough(7);
    assertTrue(t.isEmpty());
    assertEquals(2, t.term(7), "an applied last entry still answers the next append's check");
  }

  @Test
  void anOverwritingAppendForgetsTheReplacedEntriesAndTheirTerms() {
    StableTail t = new StableTail(1 << 20);
    List<Entry> es = entries(1, 1, 1, 1, 1);
    t.add(es, 0, es.size());
    t.dropThrough(2);
    t.truncateFrom(4);
    assertTrue(t.contains(3));
    assertFalse(t.contains(4));
    t.truncateFrom(2);
    assertTrue(t.isEmpty());
    assertEquals(-1, t.term(2), "entry 2 was replaced: its old term must not be served");
    assertEquals(-1, t.prevIndex());
  }

  @Test
  void aGapStartsAfreshAndTheByteBoundDropsTheOldest() {
    StableTail t = new StableTail(1 << 20);
    t.add(entries(1, 1, 1), 0, 2);
    t.add(entries(10, 3), 0, 1); // not contiguous: never serve across a gap
    assertFalse(t.contains(1));
    assertEquals(-1, t.term(1));
    assertTrue(t.contains(10));

    long one = entries(1, 1).get(0).sizeBytes();
    StableTail bounded = new StableTail(2 * one);
    List<Entry> es = entries(1, 1, 1, 1);
    bounded.add(es, 0, es.size());
    assertFalse(bounded.contains(1));
    assertTrue(bounded.contains(2) && bounded.contains(3));
  }

  @Test
  void theLogReadsTermsAndEntriesFromTheTailWithoutStorage() {
    MemoryStorage s = MemoryStorage.withVoters(1, 2, 3);
    RaftLog log = new RaftLog(s, 1 << 20);
    log.append(entries(1, 1, 1, 1));
    s.append(log.unstableEntries()); // persisted
    log.stableTo(3, 1);
    log.commitTo(3);
    s.compact(3); // storage can no longer serve them; the tail still does
    assertEquals(1, log.term(2));
    assertEquals(3, log.slice(1, 4, Long.MAX_VALUE).size());
    assertEquals(3, log.lastIndex());
  }
}
