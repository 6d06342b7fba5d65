package io.multiraft.rangestore.kv;

import io.multiraft.rangestore.range.RangeDescriptor;

/** What applying a {@link KvCommand} produced; handed to the proposer's future. */
public sealed interface KvResult {
  /** The write took effect. */
  record Written() implements KvResult {}

  /** A compare-and-set: whether it wrote, and the value it found (null: absent). */
  record CasOutcome(boolean succeeded, byte[] current) implements KvResult {}

  /** A key was outside the range when the command applied; nothing was written. */
  record NotInRange(byte[] key, RangeDescriptor descriptor) implements KvResult {}

  /**
   * The command was refused as invalid (malformed, bad split key, stale generation); nothing
   * changed. {@code staleGeneration}: only because the range split, merged or moved since the
   * proposer read its descriptor, so the same request may succeed after a fresh read.
   */
  record Refused(String reason, boolean staleGeneration) implements KvResult {
    public Refused(String reason) {
      this(reason, false);
    }
  }

  /** The range split: its new descriptor and the new right range's. */
  record SplitDone(RangeDescriptor left, RangeDescriptor right) implements KvResult {}

  /** The range cannot take the command now (frozen for a merge); retry shortly, it will be elsewhere or back. */
  record Busy(String reason) implements KvResult {}

  /** The range is frozen for a merge as of {@code index}. */
  record Frozen(long index, RangeDescriptor descriptor) implements KvResult {}

  /** The left range took over the right one. */
  record Merged(RangeDescriptor left, long rightId) implements KvResult {}

  Written WRITTEN = new Written();
}
