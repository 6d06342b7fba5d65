package io.multiraft.core;

/** The messages replicas of one group exchange. Local requests are methods of {@link RaftGroup}. */
public enum MessageType {
  APPEND,
  APPEND_RESPONSE,
  HEARTBEAT,
  HEARTBEAT_RESPONSE,
  VOTE,
  VOTE_RESPONSE,
  PRE_VOTE,
  PRE_VOTE_RESPONSE,
  SNAPSHOT,
  /** Sent by a leader to the target of a leadership transfer: campaign now, ignoring the lease. */
  TIMEOUT_NOW,
  /** A follower forwards a read-index request to the leader. */
  READ_INDEX,
  READ_INDEX_RESPONSE,
  /** A follower forwards a leadership-transfer request to the leader; {@code context} is the target. */
  TRANSFER_LEADER;

  public boolean isResponse() {
    return this == APPEND_RESPONSE
        || this == HEARTBEAT_RESPONSE
        || this == VOTE_RESPONSE
        || this == PRE_VOTE_RESPONSE
        || this == READ_INDEX_RESPONSE;
  }

  /** The response type of a vote request of this type. */
  MessageType voteResponse() {
    return switch (this) {
      case VOTE -> VOTE_RESPONSE;
      case PRE_VOTE -> PRE_VOTE_RESPONSE;
      default -> throw new IllegalArgumentException("not a vote request: " + this);
    };
  }
}
