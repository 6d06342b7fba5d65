package io.multiraft.core;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A group's membership as of some log index. {@code votersOutgoing} is non-empty only in a joint
 * configuration; {@code learnersNext} holds voters being demoted that become learners on leaving it.
 * Invariant: voters ∪ votersOutgoing is disjoint from learners; learnersNext ⊆ votersOutgoing.
 */
public record ConfState(
    SortedSet<Long> voters,
    SortedSet<Long> learners,
    SortedSet<Long> votersOutgoing,
    SortedSet<Long> learnersNext,
    boolean autoLeave) {

  public static final ConfState EMPTY = of(Set.of(), Set.of());

  public ConfState {
    voters = frozen(voters);
    learners = frozen(learners);
    votersOutgoing = frozen(votersOutgoing);
    learnersNext = frozen(learnersNext);
  }

  private static final int INTERN_LIMIT = 4096;
  // Thousands of groups share a handful of replica sets; sharing one instance per distinct
  // membership saves most of a group's idle memory. Bounded, least recently used out first.
  private static final java.util.LinkedHashMap<ConfState, ConfState> INTERNED =
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<ConfState, ConfState> eldest) {
          return size() > INTERN_LIMIT;
        }
      };

  /** An equal, shared instance. Thread-safe. */
  public ConfState intern() {
    synchronized (INTERNED) {
      ConfState existing = INTERNED.putIfAbsent(this, this);
      return existing == null ? this : existing;
    }
  }

  public static ConfState of(Set<Long> voters, Set<Long> learners) {
    return new ConfState(new TreeSet<>(voters), new TreeSet<>(learners), new TreeSet<>(), new TreeSet<>(), false);
  }

  public static ConfState ofVoters(long... ids) {
    TreeSet<Long> voters = new TreeSet<>();
    for (long id : ids) {
      voters.add(id);
    }
    return of(voters, Set.of());
  }

  public boolean isJoint() {
    return !votersOutgoing.isEmpty();
  }

  public boolean isMember(long id) {
    return voters.contains(id) || learners.contains(id) || votersOutgoing.contains(id) || learnersNext.contains(id);
  }

  private static SortedSet<Long> frozen(Set<Long> ids) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(ids));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("voters=").append(voters);
    if (isJoint()) {
      sb.append("&&").append(votersOutgoing);
    }
    if (!learners.isEmpty()) {
      sb.append(" learners=").append(learners);
    }
    if (!learnersNext.isEmpty()) {
      sb.append(" learners_next=").append(learnersNext);
    }
    if (autoLeave) {
      sb.append(" autoleave");
    }
    return sb.toString();
  }
}
