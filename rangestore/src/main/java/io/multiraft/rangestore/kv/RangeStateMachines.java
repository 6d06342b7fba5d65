package io.multiraft.rangestore.kv;

import io.multiraft.spi.SnapshotSink;
import io.multiraft.spi.StateMachine;

/** Creates the state machines of a node's ranges, and says where their received snapshots are staged. */
public final class RangeStateMachines implements StateMachine.Factory {
  private final long nodeId;
  private final RangeData data;
  private final RangeEvents events;

  public RangeStateMachines(long nodeId, RangeData data, RangeEvents events) {
    this.nodeId = nodeId;
    this.data = data;
    this.events = events;
  }

  @Override
  public StateMachine create(long groupId) {
    return new RangeStateMachine(groupId, nodeId, data, events);
  }

  @Override
  public SnapshotSink snapshotSink() {
    return data.snapshotSink();
  }
}
