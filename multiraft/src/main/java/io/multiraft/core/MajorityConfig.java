package io.multiraft.core;

import java.util.Arrays;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/** A set of voters deciding by simple majority. Holds a scratch array so that counting allocates nothing. */
final class MajorityConfig {
  private final long[] ids;
  private final long[] scratch;

  private static final MajorityConfig EMPTY = new MajorityConfig(Set.of());

  /** The configuration of these voters; the empty one is shared (it holds no scratch to race on). */
  static MajorityConfig of(Set<Long> voters) {
    return voters.isEmpty() ? EMPTY : new MajorityConfig(voters);
  }

  MajorityConfig(Set<Long> voters) {
    ids = new long[voters.size()];
    int i = 0;
    for (long id : voters) {
      ids[i++] = id;
    }
    Arrays.sort(ids);
    scratch = new long[ids.length];
  }

  int size() {
    return ids.length;
  }

  long id(int i) {
    return ids[i];
  }

  boolean contains(long id) {
    return Arrays.binarySearch(ids, id) >= 0;
  }

  /**
   * The largest index acknowledged by a majority, given each voter's acknowledged index. An empty
   * configuration returns Long.MAX_VALUE so that it does not constrain a joint configuration.
   */
  long committedIndex(LongUnaryOperator ackedIndex) {
    int n = ids.length;
    if (n == 0) {
      return Long.MAX_VALUE;
    }
    for (int i = 0; i < n; i++) {
      long v = ackedIndex.applyAsLong(ids[i]);
      int j = i;
      while (j > 0 && scratch[j - 1] > v) { // insertion sort: n is tiny
        scratch[j] = scratch[j - 1];
        j--;
      }
      scratch[j] = v;
    }
    return scratch[n - (n / 2 + 1)];
  }

  /** The election outcome given who voted yes ({@code yes}) and who voted at all ({@code voted}). */
  VoteResult voteResult(LongPredicate voted, LongPredicate yes) {
    if (ids.length == 0) {
      return VoteResult.WON;
    }
    int granted = 0;
    int missing = 0;
    for (long id : ids) {
      if (!voted.test(id)) {
        missing++;
      } else if (yes.test(id)) {
        granted++;
      }
    }
    int quorum = ids.length / 2 + 1;
    if (granted >= quorum) {
      return VoteResult.WON;
    }
    if (granted + missing >= quorum) {
      return VoteResult.PENDING;
    }
    return VoteResult.LOST;
  }
}
