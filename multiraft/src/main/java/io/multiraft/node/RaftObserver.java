package io.multiraft.node;

/**
 * Sees each group's leadership and commit changes as the worker hands out its Readies. For the
 * deterministic simulator's safety checks and for tracing; called on raft worker threads, so an
 * implementation must be cheap and must not block.
 */
public interface RaftObserver {
  /** {@code node}'s replica of {@code group} became leader in {@code term}. */
  default void onLeader(long node, long group, long term) {}

  /** {@code node}'s replica of {@code group} learned commit index {@code commit} (about to persist it). */
  default void onCommit(long node, long group, long term, long commit) {}
}
