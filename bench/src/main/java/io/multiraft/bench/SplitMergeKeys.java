package io.multiraft.bench;

import java.util.Locale;

/**
 * The keys of the {@code splitmerge} scenario. The initial ranges start at multiples of a wide
 * spacing; the timed splits cut them at fresh keys just above those starts, so every split key is
 * strictly inside the range that owns it, and the key just below a split key lies in the range
 * the split left, which {@code mergeAt} merges back with its right neighbour.
 */
final class SplitMergeKeys {
  static final int SLOTS = 100_000;
  private static final long SPACING = 1_000_000L;
  private final int ranges;

  SplitMergeKeys(int ranges) {
    this.ranges = ranges;
  }

  /** The start of initial range {@code i} (1 .. ranges-1; range 0 starts at the empty key). */
  byte[] boundary(int i) {
    return key(i * SPACING);
  }

  /** The key of timed split {@code i}: round robin over the initial ranges, rising within each. */
  byte[] inside(int i) {
    return key(value(i));
  }

  /** A key in the range that split {@code i} left, whose right neighbour starts at the split key. */
  byte[] boundaryBefore(int i) {
    return key(value(i) - 1);
  }

  /** The key of the split before merge-with-move {@code i}, after {@code splits} timed splits. */
  byte[] moveSplit(int splits, int i) {
    return inside(splits + i);
  }

  /** A key for background writes: slot anywhere in the key space, made unique by writer and sequence. */
  byte[] write(long slot, int writer, long seq) {
    return SplitMergeScenario.utf8(String.format(Locale.ROOT, "k%012d-w%d-%d", Math.floorMod(slot, ranges * SPACING),
        writer, seq));
  }

  private long value(int i) {
    return (i % ranges) * SPACING + 1 + i / ranges;
  }

  private static byte[] key(long v) {
    return SplitMergeScenario.utf8(String.format(Locale.ROOT, "k%012d", v));
  }
}
