package io.multiraft.node;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.RaftGroup;
import io.multiraft.core.Snapshot;
import java.util.List;

/**
 * When a received snapshot's staged data is released. A received snapshot holds staged data (files
 * of a range, say) until released: the group that restores from it releases it after the restore;
 * every other path a snapshot can take (ignored by its group, for no group, replaced before it was
 * handed out, dropped with its message) must release it, or the staged data leaks. Those paths
 * are spread over the worker and the node's inbound routing; the rules live here.
 */
final class SnapshotRelease {
  private SnapshotRelease() {}

  /**
   * A newer snapshot took the place of one the group had taken but not yet handed out in a Ready:
   * nothing will restore the older one. One handed out is being restored; the restore releases it.
   */
  static void replaced(Replica r, Snapshot before) {
    if (before != null && r.group.pendingSnapshot() != before
        && (r.outstanding == null || r.outstanding.snapshot() != before)) {
      before.payload().release();
    }
  }

  /** Releases the staged data of the received snapshots among messages that will not be handled. */
  static void unhandled(List<Message> messages) {
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m.type == MessageType.SNAPSHOT && m.snapshot != null) {
        m.snapshot.payload().release();
      }
    }
  }

  /** Releases a received snapshot that group {@code g} (null: no group) did not take to restore from. */
  static void ignored(RaftGroup g, Message m) {
    if (m.type == MessageType.SNAPSHOT && m.snapshot != null && (g == null || !g.restoring(m.snapshot))) {
      m.snapshot.payload().release();
    }
  }
}
