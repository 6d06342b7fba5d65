package io.multiraft.core;

import java.util.List;

/**
 * What one group has for its owner. The contract, in order:
 * <ol>
 *   <li>send {@link #messages()} — at once, even before persisting (a leader's appends overlap its
 *       own write, Raft thesis §10.2.1);
 *   <li>persist {@link #snapshot()}, {@link #entries()} and {@link #hardState()}, with an fsync if
 *       {@link #mustSync()};
 *   <li>then send {@link #persistedMessages()}: they acknowledge what was just persisted;
 *   <li>apply {@link #committedEntries()} (after step 2; their order is the log's);
 *   <li>call {@link RaftGroup#advance(Ready)}.
 * </ol>
 * A group hands out one Ready at a time: the next comes after {@code advance}.
 */
public record Ready(
    long groupId,
    SoftState softState,
    HardState hardState,
    List<Entry> entries,
    Snapshot snapshot,
    List<Entry> committedEntries,
    List<Message> messages,
    List<Message> persistedMessages,
    List<ReadState> readStates,
    boolean mustSync,
    List<Message> selfMessages) {

  /** Whether there is anything to persist before {@link #persistedMessages()} may leave. */
  public boolean hasPersistWork() {
    return hardState != null || !entries.isEmpty() || snapshot != null;
  }
}
