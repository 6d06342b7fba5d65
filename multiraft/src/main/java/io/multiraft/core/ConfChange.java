package io.multiraft.core;

import java.util.List;

/**
 * A membership change proposal: zero or more single changes and how to transition. An empty change
 * list with {@link Transition#AUTO} means "leave the joint configuration".
 */
public record ConfChange(Transition transition, List<Single> changes) {

  public enum Transition {
    /** One voter change: applied directly. More than one: joint consensus left automatically. */
    AUTO,
    /** Always enter a joint configuration and leave it automatically once applied. */
    JOINT_IMPLICIT,
    /** Always enter a joint configuration; the application leaves it with {@link #leaveJoint()}. */
    JOINT_EXPLICIT
  }

  public enum Type {
    ADD_VOTER,
    ADD_LEARNER,
    REMOVE
  }

  public record Single(Type type, long nodeId) {
    @Override
    public String toString() {
      return switch (type) {
        case ADD_VOTER -> "v" + nodeId;
        case ADD_LEARNER -> "l" + nodeId;
        case REMOVE -> "r" + nodeId;
      };
    }
  }

  public ConfChange {
    changes = List.copyOf(changes);
  }

  public static ConfChange of(Single... changes) {
    return new ConfChange(Transition.AUTO, List.of(changes));
  }

  public static ConfChange addVoter(long id) {
    return of(new Single(Type.ADD_VOTER, id));
  }

  public static ConfChange addLearner(long id) {
    return of(new Single(Type.ADD_LEARNER, id));
  }

  public static ConfChange remove(long id) {
    return of(new Single(Type.REMOVE, id));
  }

  public static ConfChange leaveJoint() {
    return new ConfChange(Transition.AUTO, List.of());
  }

  public boolean isLeaveJoint() {
    return transition == Transition.AUTO && changes.isEmpty();
  }

  /** Whether applying this enters a joint configuration. */
  public boolean entersJoint() {
    return transition != Transition.AUTO || changes.size() > 1;
  }

  /** Whether the joint configuration this enters is left by the leader on its own. */
  public boolean autoLeave() {
    return transition != Transition.JOINT_EXPLICIT;
  }

  @Override
  public String toString() {
    if (isLeaveJoint()) {
      return "leave-joint";
    }
    StringBuilder sb = new StringBuilder();
    for (Single s : changes) {
      sb.append(sb.length() == 0 ? "" : " ").append(s);
    }
    if (transition != Transition.AUTO) {
      sb.append(' ').append(transition);
    }
    return sb.toString();
  }
}
