package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-follower window of unacknowledged appends (lesson 1), as a ring buffer grown on demand. */
class InflightsTest {

  @Test
  void idleWindowAllocatesNothingAndGrowsByDoublingUpToCapacity() {
    Inflights in = new Inflights(10, 0);
    assertEquals(0, in.allocated(), "an idle window must cost nothing");
    int[] expected = {1, 2, 4, 4, 8, 8, 8, 8, 10, 10};
    for (int i = 0; i < 10; i++) {
      in.add(i + 1, 1);
      assertEquals(expected[i], in.allocated(), "after " + (i + 1) + " adds");
    }
    assertTrue(in.full());
  }

  @Test
  void countLimitMakesWindowFullAndAddingToFullWindowIsABug() {
    Inflights in = new Inflights(3, 0);
    in.add(1, 100);
    in.add(2, 100);
    assertFalse(in.full());
    in.add(3, 100);
    assertTrue(in.full());
    assertEquals(3, in.count());
    assertThrows(Invariants.InvariantViolation.class, () -> in.add(4, 1));
  }

  @Test
  void byteLimitMakesWindowFullBeforeCountLimit() {
    Inflights in = new Inflights(100, 100);
    in.add(1, 60);
    assertFalse(in.full());
    in.add(2, 50);
    assertEquals(110, in.bytes());
    assertTrue(in.full(), "110 bytes in flight exceed the 100-byte limit");
    in.freeLE(1);
    assertEquals(50, in.bytes());
    assertFalse(in.full());
  }

  @Test
  void nonPositiveByteLimitMeansUnlimited() {
    Inflights in = new Inflights(2, 0);
    in.add(1, Long.MAX_VALUE / 4);
    assertFalse(in.full());
  }

  @Test
  void freeLEFreesEveryMessageUpToTheIndexAndTheirBytes() {
    Inflights in = new Inflights(10, 0);
    in.add(5, 10);
    in.add(10, 20);
    in.add(15, 30);
    in.freeLE(4);
    assertEquals(3, in.count(), "nothing acknowledged below the first message");
    in.freeLE(12); // acknowledges the first two messages, not the one ending at 15
    assertEquals(1, in.count());
    assertEquals(30, in.bytes());
    in.freeLE(100);
    assertEquals(0, in.count());
    assertEquals(0, in.bytes());
    in.freeLE(200); // on an empty window: nothing happens
    assertEquals(0, in.count());
  }

  @Test
  void freeFirstOneFreesExactlyTheOldest() {
    Inflights in = new Inflights(3, 0);
    in.add(3, 7);
    in.add(6, 8);
    in.add(9, 9);
    assertTrue(in.full());
    in.freeFirstOne();
    assertEquals(2, in.count());
    assertEquals(17, in.bytes());
    assertFalse(in.full());
    in.freeLE(6);
    assertEquals(1, in.count(), "the message ending at 6 is now the oldest");
    in.freeFirstOne();
    in.freeFirstOne(); // on an empty window: nothing happens
    assertEquals(0, in.count());
    assertEquals(0, in.bytes());
  }

  @Test
  void wrapsAroundTheRing() {
    Inflights in = new Inflights(4, 0);
    for (int i = 1; i <= 4; i++) {
      in.add(i, i);
    }
    in.freeLE(2);
    in.add(5, 5); // lands in slot 0: the ring wraps
    in.add(6, 6);
    assertTrue(in.full());
    assertEquals(4, in.allocated());
    assertEquals(3 + 4 + 5 + 6, in.bytes());
    in.freeLE(4);
    assertEquals(2, in.count());
    assertEquals(11, in.bytes());
    in.freeFirstOne();
    assertEquals(1, in.count());
    assertEquals(6, in.bytes());
    in.freeLE(5);
    assertEquals(1, in.count(), "the remaining message ends at 6");
    in.freeLE(6);
    assertEquals(0, in.count());
  }

  @Test
  void growingAWrappedRingKeepsOrder() {
    Inflights in = new Inflights(8, 0);
    for (int i = 1; i <= 4; i++) {
      in.add(i, 10 * i);
    }
    in.freeLE(2);
    in.add(5, 50);
    in.add(6, 60); // wrapped, and the 4-slot ring is full
    in.add(7, 70); // grows while wrapped
    assertEquals(8, in.allocated());
    assertEquals(5, in.count());
    assertEquals(30 + 40 + 50 + 60 + 70, in.bytes());
    in.freeLE(5);
    assertEquals(2, in.count());
    assertEquals(130, in.bytes());
    in.freeFirstOne();
    assertEquals(70, in.bytes(), "after freeing 6 only 7 remains");
  }

  @Test
  void resetEmptiesTheWindow() {
    Inflights in = new Inflights(2, 100);
    in.add(1, 60);
    in.add(2, 60);
    assertTrue(in.full());
    in.reset();
    assertEquals(0, in.count());
    assertEquals(0, in.bytes());
    assertFalse(in.full());
    in.add(9, 1);
    in.freeLE(8);
    assertEquals(1, in.count());
  }
}
