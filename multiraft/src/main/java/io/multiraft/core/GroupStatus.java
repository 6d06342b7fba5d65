package io.multiraft.core;

import java.util.Map;

/** A point-in-time view of one replica, for admin tools, tests and the node's status API. */
public record GroupStatus(
    long groupId,
    long nodeId,
    Role role,
    long term,
    long vote,
    long leader,
    long commit,
    long applied,
    long lastIndex,
    ConfState conf,
    long leadTransferee,
    Map<Long, PeerProgress> progress) {

  /** The leader's view of one peer; empty on followers. */
  public record PeerProgress(long match, long next, ProgressState state, boolean recentActive, int inflight, boolean paused, boolean learner) {}
}
