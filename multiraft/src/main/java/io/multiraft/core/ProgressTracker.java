package io.multiraft.core;

import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * The membership of a group and the leader's progress for each member. Iteration order is by node
 * id, so message order is deterministic. Invariant: every voter and learner has a progress.
 */
final class ProgressTracker implements LongUnaryOperator {
  ConfState conf;
  JointConfig voters;
  /**
   * The progress of each member as sorted parallel arrays, replaced whole by {@link #apply} (never
   * changed in place). No map beside them: per-message lookups and the commit computation neither
   * box the id nor walk a tree, and a map of three members costs a group some 200 bytes for as
   * long as it lives. Invariant: ids[i] strictly ascending, prs[i] its progress.
   */
  private long[] ids = new long[0];
  private Progress[] prs = new Progress[0];
  /** Votes of the current election; null outside elections. */
  TreeMap<Long, Boolean> votes;
  final int maxInflight;
  final long maxInflightBytes;

  // Held as a constant so that counting allocates no lambda per call.
  private static final LongPredicate ALWAYS = id -> true;

  ProgressTracker(int maxInflight, long maxInflightBytes) {
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
    apply(ConfState.EMPTY, new TreeMap<>());
  }

  void apply(ConfState cs, TreeMap<Long, Progress> prs) {
    this.conf = cs.intern();
    this.voters = JointConfig.of(cs.voters(), cs.votersOutgoing());
    long[] a = new long[prs.size()];
    Progress[] p = new Progress[prs.size()];
    int i = 0;
    for (var e : prs.entrySet()) { // TreeMap order: ascending ids
      a[i] = e.getKey();
      p[i++] = e.getValue();
    }
    this.ids = a;
    this.prs = p;
  }

  /** Members with a progress, in id order: {@link #idAt} and {@link #at} for i in [0, size). */
  int size() {
    return ids.length;
  }

  long idAt(int i) {
    return ids[i];
  }

  Progress at(int i) {
    return prs[i];
  }

  Progress newProgress(long next, boolean learner) {
    Progress pr = new Progress(next, this, learner);
    pr.recentActive = true; // a member just added counts as active until a window proves otherwise
    return pr;
  }

  /** Membership restored from a snapshot or from storage at start. */
  void restore(ConfState cs, long lastIndex) {
    TreeMap<Long, Progress> prs = new TreeMap<>();
    for (long id : cs.voters()) {
      prs.put(id, newProgress(lastIndex + 1, false));
    }
    for (long id : cs.votersOutgoing()) {
      prs.putIfAbsent(id, newProgress(lastIndex + 1, false));
    }
    for (long id : cs.learners()) {
      Invariants.check(!prs.containsKey(id), "node %d is both voter and learner in %s", id, cs);
      prs.put(id, newProgress(lastIndex + 1, true));
    }
    for (long id : cs.learnersNext()) {
      Invariants.check(cs.votersOutgoing().contains(id), "learner-next %d is not an outgoing voter in %s", id, cs);
    }
    apply(cs, prs);
  }

  boolean isJoint() {
    return conf.isJoint();
  }

  long committed() {
    return voters.committedIndex(this);
  }

  /**
   * A member's match index: the tracker is its own lookup for {@link JointConfig#committedIndex}
   * (a lambda held in a field would cost every group an object).
   */
  @Override
  public long applyAsLong(long id) {
    return get(id).match;
  }

  /** Whether a quorum was active in the window that just ended (CheckQuorum). */
  boolean quorumActive() {
    return voters.voteResult(ALWAYS, id -> get(id).recentActive) == VoteResult.WON;
  }

  void resetVotes() {
    votes = null;
  }

  void recordVote(long id, boolean granted) {
    if (votes == null) {
      votes = new TreeMap<>();
    }
    votes.putIfAbsent(id, granted);
  }

  /** Whether {@code id}'s answer (granted or not) was recorded in this election. */
  boolean hasVoteFrom(long id) {
    return votes != null && votes.containsKey(id);
  }

  VoteResult tallyVotes() {
    TreeMap<Long, Boolean> v = votes == null ? new TreeMap<>() : votes;
    return voters.voteResult(v::containsKey, id -> Boolean.TRUE.equals(v.get(id)));
  }

  int grantedVotes() {
    if (votes == null) {
      return 0;
    }
    int n = 0;
    for (Boolean v : votes.values()) {
      if (v) {
        n++;
      }
    }
    return n;
  }

  int rejectedVotes() {
    return votes == null ? 0 : votes.size() - grantedVotes();
  }

  Progress get(long id) {
    long[] a = ids;
    for (int i = 0; i < a.length; i++) { // a handful of members: a scan beats a search
      if (a[i] == id) {
        return prs[i];
      }
    }
    return null;
  }

  boolean isVoter(long id) {
    return voters.isVoter(id);
  }

  /**
   * A new map of every member's progress, by id. It allocates: for cold paths (status, membership
   * changes); loops on the message and tick paths use {@link #size}, {@link #idAt} and {@link #at}.
   */
  TreeMap<Long, Progress> all() {
    TreeMap<Long, Progress> m = new TreeMap<>();
    for (int i = 0; i < ids.length; i++) {
      m.put(ids[i], prs[i]);
    }
    return m;
  }
}
