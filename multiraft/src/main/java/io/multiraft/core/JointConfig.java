package io.multiraft.core;

import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/** Two majorities that must both agree; {@code outgoing} is empty outside joint consensus. */
final class JointConfig {
  final MajorityConfig incoming;
  final MajorityConfig outgoing;

  static JointConfig of(java.util.Set<Long> incoming, java.util.Set<Long> outgoing) {
    return new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing));
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
