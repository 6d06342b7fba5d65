package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CompactionPolicyTest {

  @Test
  void keepsTheMarginBehindTheSnapshot() {
    assertEquals(9_000, new CompactionPolicy(1_000).compactIndex(10_000, 1));
  }

  @Test
  void compactsNothingWhileTheMarginCoversEverythingPastTheFirstIndex() {
    CompactionPolicy p = new CompactionPolicy(1_000);
    assertEquals(CompactionPolicy.NONE, p.compactIndex(800, 1));
    assertEquals(CompactionPolicy.NONE, p.compactIndex(5_000, 4_001), "already compacted that far");
    assertEquals(4_001, p.compactIndex(5_001, 4_001));
  }

  @Test
  void aZeroMarginCompactsUpToTheSnapshot() {
    assertEquals(500, new CompactionPolicy(0).compactIndex(500, 1));
  }

  @Test
  void aNegativeMarginIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CompactionPolicy(-1));
  }
}
