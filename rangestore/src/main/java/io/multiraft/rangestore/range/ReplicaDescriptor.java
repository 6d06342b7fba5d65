package io.multiraft.rangestore.range;

/** One replica of a range: the node that hosts it and whether it votes. */
public record ReplicaDescriptor(long nodeId, Role role) {
  /** A voter counts toward quorum; a learner receives the log but does not vote (catching up). */
  public enum Role { VOTER, LEARNER }

  public ReplicaDescriptor {
    if (nodeId <= 0) {
      throw new IllegalArgumentException("replica node ids are > 0, got " + nodeId);
    }
    if (role == null) {
      throw new IllegalArgumentException("replica role is required");
    }
  }

  @Override
  public String toString() {
    return "n" + nodeId + (role == Role.LEARNER ? "(learner)" : "");
  }
}
