package io.multiraft.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAccumulatorTest {

  private static BatchAccumulator<String> accumulator(int maxItems, long maxBytes, long maxAgeNs) {
    return new BatchAccumulator<>(new BatchLimits(maxItems, maxBytes, maxAgeNs), String::length);
  }

  @Test
  void batchIsFullAtTheItemLimit() {
    BatchAccumulator<String> acc = accumulator(3, 1_000, BatchLimits.NO_AGE_LIMIT);
    assertFalse(acc.add("a", 0));
    assertFalse(acc.add("b", 0));
    assertTrue(acc.add("c", 0));
    assertTrue(acc.isFull());
    assertEquals(3, acc.size());
  }

  @Test
  void batchIsFullAtTheByteLimitAndTheItemCrossingItStillGoesIn() {
    BatchAccumulator<String> acc = accumulator(100, 10, BatchLimits.NO_AGE_LIMIT);
    assertFalse(acc.add("12345", 0));
    assertTrue(acc.add("1234567", 0), "5 + 7 bytes crosses the 10-byte limit");
    assertEquals(12, acc.bytes());
    assertEquals(List.of("12345", "1234567"), acc.drain());
  }

  @Test
  void anOversizedItemMakesABatchOfItsOwn() {
    BatchAccumulator<String> acc = accumulator(100, 4, BatchLimits.NO_AGE_LIMIT);
    assertTrue(acc.add("much too large", 0));
    assertEquals(1, acc.size());
  }

  @Test
  void ageIsCountedFromTheOldestItemNotTheNewest() {
    BatchAccumulator<String> acc = accumulator(100, 1_000, 10);
    acc.add("old", 100);
    acc.add("new", 105);
    assertFalse(acc.shouldFlush(109));
    assertTrue(acc.shouldFlush(110));
    assertEquals(110, acc.deadlineNs());
  }

  @Test
  void anEmptyBatchIsNeverDueAndHasNoDeadline() {
    BatchAccumulator<String> acc = accumulator(1, 1, 0);
    assertFalse(acc.shouldFlush(Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, acc.deadlineNs());
  }

  @Test
  void withoutAnAgeLimitOnlyCountAndBytesMakeItDue() {
    BatchAccumulator<String> acc = accumulator(10, 1_000, BatchLimits.NO_AGE_LIMIT);
    acc.add("x", 0);
    assertFalse(acc.shouldFlush(Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, acc.deadlineNs());
  }

  @Test
  void drainKeepsOrderEmptiesTheBatchAndRestartsTheAgeClock() {
    BatchAccumulator<String> acc = accumulator(100, 1_000, 10);
    acc.add("a", 0);
    acc.add("b", 1);
    assertEquals(List.of("a", "b"), acc.drain());
    assertTrue(acc.isEmpty());
    assertEquals(0, acc.bytes());
    acc.add("c", 50);
    assertFalse(acc.shouldFlush(59), "age restarts with the first item after a drain");
    assertTrue(acc.shouldFlush(60));
  }

  @Test
  void limitsRejectNonsense() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new BatchLimits(0, 1, 1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new BatchLimits(1, 0, 1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new BatchLimits(1, 1, -1));
  }
}
