package io.multiraft.rangestore.kv;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.range.RangeDescriptor;

/**
 * What a range's state machine tells the node around it, on the apply thread, after the change is
 * written. Implementations must not block: they queue work (create a group, update the router).
 */
public interface RangeEvents {
  /** The range's descriptor changed (membership, snapshot restored). */
  void descriptorChanged(RangeDescriptor descriptor);

  /** A split applied here: the right range's state is written; its group must be created with {@code conf}. */
  void splitApplied(RangeDescriptor left, RangeDescriptor right, ConfState conf);

  /**
   * This node was removed from the range; its data and state here are deleted and its group must
   * go. {@code term}: the term of the entry (or snapshot) that removed it.
   */
  void replicaRemoved(long rangeId, long term);

  /** A merge applied here: {@code left} now covers the right range, whose group must go (its data stays, now the left's). */
  void rangeMerged(RangeDescriptor left, long rightId);

  /** A snapshot showed that {@code right} was split off while this replica lagged: create an empty replica of it here. */
  void splitMissed(RangeDescriptor right);

  RangeEvents NONE = new RangeEvents() {
    @Override
    public void splitMissed(RangeDescriptor right) {}

    @Override
    public void rangeMerged(RangeDescriptor left, long rightId) {}

    @Override
    public void descriptorChanged(RangeDescriptor descriptor) {}

    @Override
    public void splitApplied(RangeDescriptor left, RangeDescriptor right, ConfState conf) {}

    @Override
    public void replicaRemoved(long rangeId, long term) {}
  };
}
