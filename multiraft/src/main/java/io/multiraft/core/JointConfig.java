package io.multiraft.core;

import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/** Two majorities that must both agree; {@code outgoing} is empty outside joint consensus. */
final class JointConfig {
  final MajorityConfig incoming;
  final MajorityConfig outgoing;

  private static final int INTERN_LIMIT = 4096;
  // Like ConfState's: thousands of groups share a handful of replica sets, and an immutable
  // JointConfig with its two MajorityConfigs is over 100 bytes a group when each has its own.
  // Bounded, least recently used out first.
  private static final java.util.LinkedHashMap<java.util.List<java.util.Set<Long>>, JointConfig> INTERNED =
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<java.util.List<java.util.Set<Long>>, JointConfig> eldest) {
          return size() > INTERN_LIMIT;
        }
      };

  /** The configuration of these voters, shared with every group of the same voters. */
  static JointConfig of(java.util.Set<Long> incoming, java.util.Set<Long> outgoing) {
    java.util.List<java.util.Set<Long>> key = java.util.List.of(incoming, outgoing);
    synchronized (INTERNED) {
      JointConfig jc = INTERNED.get(key);
      if (jc == null) {
        jc = new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing));
        INTERNED.put(key, jc);
      }
      return jc;
    }
  }

  JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {
    this.incoming = incoming;
    this.outgoing = outgoing;
  }

  long committedIndex(LongUnaryOperator ackedIndex) {
    return Math.min(incoming.committedIndex(ackedIndex), outgoing.committedIndex(ackedIndex));
  }

  VoteResult voteResult(LongPredicate voted, LongPredicate yes) {
    VoteResult a = incoming.voteResult(voted, yes);
    VoteResult b = outgoing.voteResult(voted, yes);
    if (a == b) {
      return a;
    }
    if (a == VoteResult.LOST || b == VoteResult.LOST) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  boolean isVoter(long id) {
    return incoming.contains(id) || outgoing.contains(id);
  }

  boolean isSingleton(long id) {
    return outgoing.size() == 0 && incoming.size() == 1 && incoming.id(0) == id;
  }
}
