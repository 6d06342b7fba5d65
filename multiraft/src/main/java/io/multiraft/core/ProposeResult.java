package io.multiraft.core;

/** The outcome of a local request. Not an exception: refusals are routine and cheap. */
public enum ProposeResult {
  ACCEPTED,
  /** This replica is not the leader; retry at {@link RaftGroup#leader()} if known. */
  NOT_LEADER,
  /** A leadership transfer is in progress; proposals are refused until it ends. */
  TRANSFERRING,
  /** The leader's uncommitted log exceeds {@code maxUncommittedEntriesBytes}; back off. */
  UNCOMMITTED_LIMIT,
  /** A membership change is already pending (proposed, not yet applied). */
  CONF_CHANGE_PENDING,
  /** The membership change is malformed for the current configuration. */
  INVALID_CONF_CHANGE,
  /**
   * The membership change would leave fewer live voters than a quorum (lesson 15): a removal, or
   * an addition whose new voter has not acknowledged entries from this leader while the others are
   * no quorum without it (adding a second voter to a group of one, say). Add it as a learner
   * first, and promote it once it has caught up.
   */
  WOULD_LOSE_QUORUM,
  /** No leader is known to forward the request to. */
  NO_LEADER,
  /** A request id already pending. */
  DUPLICATE
}
