package io.multiraft.node;

/** A request to the node failed; subclasses say why, so clients can redirect, retry or give up. */
public class RaftException extends RuntimeException {
  public RaftException(String message) {
    super(message);
  }

  /** This replica is not the group's leader; {@link #leaderHint()} is the node to retry at (0 if unknown). */
  public static final class NotLeader extends RaftException {
    private final long groupId;
    private final long leaderHint;

    public NotLeader(long groupId, long leaderHint) {
      super("group " + groupId + ": not the leader" + (leaderHint != 0 ? "; leader is node " + leaderHint : "; no leader known"));
      this.groupId = groupId;
      this.leaderHint = leaderHint;
    }

    public long groupId() {
      return groupId;
    }

    public long leaderHint() {
      return leaderHint;
    }
  }

  public static final class GroupNotFound extends RaftException {
    public GroupNotFound(long groupId) {
      super("group " + groupId + " is not hosted on this node (never created, or removed)");
    }
  }

  public static final class GroupExists extends RaftException {
    public GroupExists(long groupId) {
      super("group " + groupId + " already exists on this node");
    }
  }

  /** Lesson 19: the message says whether a leader was known, since that is the usual cause. */
  public static final class Timeout extends RaftException {
    public Timeout(long groupId, long timeoutMs, long leader) {
      super(leader == 0
          ? "group " + groupId + ": request timed out after " + timeoutMs + " ms, possibly due to leader down (no leader known)"
          : "group " + groupId + ": request timed out after " + timeoutMs + " ms (leader is node " + leader + ")");
    }
  }

  /** A queue on the way was full: back off and retry. The node never blocks its raft threads instead. */
  public static final class Overloaded extends RaftException {
    public Overloaded(String what) {
      super("overloaded: " + what + " is full; retry later");
    }
  }

  /** The proposal was refused or its entry was replaced by another leader's; it was not applied. */
  public static final class Dropped extends RaftException {
    public Dropped(long groupId, String why) {
      super("group " + groupId + ": proposal dropped: " + why);
    }
  }

  /**
   * The proposal may or may not have been applied (its entry was covered by a snapshot before this
   * replica saw it commit). Like a timeout: read back before retrying a non-idempotent command.
   */
  public static final class OutcomeUnknown extends RaftException {
    public OutcomeUnknown(long groupId, long index) {
      super("group " + groupId + ": outcome of the proposal at index " + index
          + " is unknown: a snapshot covered it before this replica saw it applied");
    }
  }

  public static final class NodeClosed extends RaftException {
    public NodeClosed() {
      super("the node is closed");
    }
  }
}
