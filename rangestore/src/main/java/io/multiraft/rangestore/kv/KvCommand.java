package io.multiraft.rangestore.kv;

import java.util.List;

/**
 * A command in a range's log. Writes name user keys; the state machine refuses, as a whole, a
 * command with a key outside the range's span at the moment it applies (the range may have split
 * since the client routed it). Reads are not commands: they go through ReadIndex.
 */
public sealed interface KvCommand {
  record Put(byte[] key, byte[] value) implements KvCommand {}

  record Delete(byte[] key) implements KvCommand {}

  /** Writes {@code newValue} (null: delete) if the current value equals {@code expected} (null: absent). */
  record Cas(byte[] key, byte[] expected, byte[] newValue) implements KvCommand {}

  /** Puts and deletes applied atomically: all or none. */
  record Batch(List<Op> ops) implements KvCommand {
    public Batch {
      ops = List.copyOf(ops);
    }
  }

  /** One write of a batch; a null value deletes. */
  record Op(byte[] key, byte[] value) {}

  /**
   * Splits the range at {@code splitKey}: the range keeps [start, splitKey) and a new range
   * {@code rightId} (allocated by the proposer, so every replica creates the same one) gets
   * [splitKey, end). Refused unless the range is still at {@code expectedGeneration}.
   */
  record Split(byte[] splitKey, long rightId, long expectedGeneration) implements KvCommand {}

  /**
   * First step of a merge, in the right range's log: the range stops taking writes, splits and
   * membership-dependent work, so its data is fixed at this entry's index. Refused unless the range
   * is still at {@code expectedGeneration}.
   */
  record Freeze(long mergeInto, long expectedGeneration) implements KvCommand {}

  /** Rollback of a merge that was refused: the right range takes writes again. */
  record Unfreeze(long expectedGeneration) implements KvCommand {}

  /**
   * The merge itself, in the left range's log: the left range extends over {@code right} (frozen,
   * adjacent, same replicas) and takes its data in place. Refused unless the left range is still
   * at {@code expectedGeneration}, so a merge retried or overtaken by a split applies at most once.
   */
  record Merge(io.multiraft.rangestore.range.RangeDescriptor right, long expectedGeneration) implements KvCommand {}
}
