package io.multiraft.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * The membership of a group and the leader's progress for each member. Iteration order is by node
 * id, so message order is deterministic. Invariant: every voter and learner has a progress.
 */
final class ProgressTracker {
  ConfState conf;
  JointConfig voters;
  TreeMap<Long, Progress> progress;
  final TreeMap<Long, Boolean> votes = new TreeMap<>();
  final int maxInflight;
  final long maxInflightBytes;

  // Held as fields so that counting allocates no lambda per call.
  private final LongUnaryOperator matchOf = id -> progress.get(id).match;
  private final LongPredicate voted = id -> votes.containsKey(id);
  private final LongPredicate votedYes = id -> Boolean.TRUE.equals(votes.get(id));
  private final LongPredicate alwaysVoted = id -> true;
  private final LongPredicate active = id -> progress.get(id).recentActive;

  ProgressTracker(int maxInflight, long maxInflightBytes) {
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
    apply(ConfState.EMPTY, new TreeMap<>());
  }

  void apply(ConfState cs, TreeMap<Long, Progress> prs) {
    this.conf = cs;
    this.voters = new JointConfig(new MajorityConfig(cs.voters()), new MajorityConfig(cs.votersOutgoing()));
    this.progress = prs;
  }

  Progress newProgress(long next, boolean learner) {
    Progress pr = new Progress(next, maxInflight, maxInflightBytes, learner);
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
    return voters.committedIndex(matchOf);
  }

  /** Whether a quorum was active in the window that just ended (CheckQuorum). */
  boolean quorumActive() {
    return voters.voteResult(alwaysVoted, active) == VoteResult.WON;
  }

  void resetVotes() {
    votes.clear();
  }

  void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  VoteResult tallyVotes() {
    return voters.voteResult(voted, votedYes);
  }

  int grantedVotes() {
    int n = 0;
    for (Boolean v : votes.values()) {
      if (v) {
        n++;
      }
    }
    return n;
  }

  int rejectedVotes() {
    return votes.size() - grantedVotes();
  }

  Progress get(long id) {
    return progress.get(id);
  }

  boolean isVoter(long id) {
    return voters.isVoter(id);
  }

  Map<Long, Progress> all() {
    return progress;
  }
}
