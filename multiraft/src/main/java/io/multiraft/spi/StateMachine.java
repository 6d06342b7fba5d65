package io.multiraft.spi;

import io.multiraft.core.Entry;
import io.multiraft.core.SnapshotData;

/**
 * The replicated state of one group. Called only from the node's apply threads, one group on one
 * thread at a time, never from a raft worker: a slow state machine delays apply, not Raft (lesson 18).
 */
public interface StateMachine {

  /**
   * Applies one committed NORMAL entry with a non-empty payload, in log order, and returns the
   * result handed to the proposer's future (may be null).
   */
  Object apply(Entry entry);

  /** The index applied durably before this process started (0 for an in-memory state machine). */
  default long lastApplied() {
    return 0;
  }

  /**
   * The term of the entry at {@link #lastApplied()}, if recorded; 0 if unknown. With it a restart
   * takes the applied index as committed when the log holds that entry from that term (the commit
   * index in the hard state is synced lazily and may trail what was applied).
   */
  default long lastAppliedTerm() {
    return 0;
  }

  /**
   * A membership change took effect at {@code index} (also called after a snapshot is restored,
   * with its membership). A durable state machine records it with its applied index, atomically,
   * as a range descriptor would: a restart must not pair an applied index with an older membership.
   */
  default void applyConfChange(long index, long term, io.multiraft.core.ConfState conf) {}

  /** The membership as of {@link #lastApplied()}, if recorded here; null to use the log store's. */
  default io.multiraft.core.ConfState appliedConfState() {
    return null;
  }

  /**
   * The lowest index a snapshot of this state may stand at and still be sent. A follower that
   * restores an older one replays the entries after it, and an entry whose apply reads more than
   * the log and the snapshot carry (a range merge takes its neighbour's data from the replica on
   * the same node, which that follower may no longer hold), or that writes beyond what the
   * snapshot covers (a range split creating its right range over a newer replica of it), must not
   * be replayed from there. A
   * snapshot held below this is dropped after the apply that raised it; the next send creates a
   * fresh one. Read on the apply thread after each batch of entries.
   */
  default long snapshotFloor() {
    return 0;
  }

  /**
   * Whether this replica, while it holds no state (created empty, waiting for its first snapshot),
   * may grant votes. Answer true only when this node never held the group before, so it never
   * acknowledged an entry or granted a vote that a lost state would forget (a replica of a range
   * split off while this node lagged, say). The default false is always safe, but a group whose
   * other voters are all empty then cannot elect a leader. Asked once, when the group is started
   * here without state.
   */
  default boolean mayVoteWithoutState() {
    return false;
  }

  /** A snapshot of the state as of the last applied entry; runs on the apply thread (lesson 11). */
  byte[] snapshot();

  /** Replaces the state with a snapshot's. */
  void restore(byte[] data);

  /**
   * A snapshot as of the last applied entry that may be read in chunks and later (a database view),
   * so it is cheap to create and never held whole; the default wraps {@link #snapshot()}. The
   * caller owns one reference and releases it. Runs on the apply thread (lesson 11).
   */
  default SnapshotData openSnapshot() {
    return SnapshotData.of(snapshot());
  }

  /**
   * Replaces the state with a snapshot's data, as received: bytes, or what this state machine's
   * {@link Factory#snapshotSink()} staged. The caller releases {@code data} afterwards.
   */
  default void restore(SnapshotData data) {
    restore(SnapshotStreams.readAll(data));
  }

  default void close() {}

  /** Creates the state machine of a group hosted by this node. */
  interface Factory {
    StateMachine create(long groupId);

    /** Where received snapshots are staged chunk by chunk; null keeps them in memory as bytes. */
    default SnapshotSink snapshotSink() {
      return null;
    }
  }
}
