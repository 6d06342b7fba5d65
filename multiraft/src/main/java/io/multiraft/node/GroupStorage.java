package io.multiraft.node;

import io.multiraft.core.Entry;
import io.multiraft.core.LogStorage;
import io.multiraft.core.Snapshot;
import io.multiraft.core.StorageException;
import java.util.List;

/**
 * One group's log as its Raft sees it: reads go to the node's {@code LogStore}; snapshots come from
 * the state machine, produced asynchronously on the apply thread (lesson 11) and limited per node
 * (lesson 9). A request for a snapshot that is not ready starts its creation and answers
 * "temporarily unavailable"; the core asks again on a later heartbeat.
 */
final class GroupStorage implements LogStorage {
  private final LogStorage log;
  private final Replica replica;

  GroupStorage(LogStorage log, Replica replica) {
    this.log = log;
    this.replica = replica;
  }

  /**
   * The membership must be the one as of the applied index Raft restarts from: a durable state
   * machine that records it wins over the log store's copy, which is written lazily (simulation
   * seed 19306: a restart paired a later applied index with an older membership).
   */
  @Override
  public InitialState initialState() {
    InitialState st = log.initialState();
    io.multiraft.core.ConfState applied = replica.sm == null ? null : replica.sm.appliedConfState();
    return applied == null ? st : new InitialState(st.hardState(), applied);
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    return log.entries(lo, hi, maxBytes);
  }

  @Override
  public long term(long index) {
    return log.term(index);
  }

  @Override
  public long firstIndex() {
    return log.firstIndex();
  }

  @Override
  public long lastIndex() {
    return log.lastIndex();
  }

  @Override
  public Snapshot snapshot() {
    Snapshot s = replica.latestSnapshot;
    if (s == null || s.index() < log.firstIndex() - 1) {
      replica.requestSnapshot();
      throw new StorageException.SnapshotTemporarilyUnavailable("group " + replica.groupId + ": snapshot being created");
    }
    if (!replica.node.tryAcquireSnapshotSend()) {
      throw new StorageException.SnapshotTemporarilyUnavailable("node is at its limit of concurrent snapshot sends");
    }
    // The send owns one reference to the data; the transport releases it when the transfer ends.
    if (!s.payload().retain()) {
      replica.node.releaseSnapshotSend();
      replica.requestSnapshot(); // released meanwhile: replaced by a newer one being created
      throw new StorageException.SnapshotTemporarilyUnavailable("group " + replica.groupId + ": snapshot being replaced");
    }
    return s;
  }
}
