package io.multiraft.core;

import java.util.Arrays;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * A set of voters deciding by simple majority. Immutable and holding no scratch space, so groups of
 * the same voters share one instance (see {@link JointConfig#of}); counting allocates nothing.
 */
final class MajorityConfig {
  private final long[] ids;

  private static final MajorityConfig EMPTY = new MajorityConfig(Set.of());

  /** The configuration of these voters; the empty one is shared. */
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
    switch (n) {
      case 0:
        return Long.MAX_VALUE;
      case 1:
        return ackedIndex.applyAsLong(ids[0]);
      case 2:
        return Math.min(ackedIndex.applyAsLong(ids[0]), ackedIndex.applyAsLong(ids[1]));
      case 3: {
        long a = ackedIndex.applyAsLong(ids[0]);
        long b = ackedIndex.applyAsLong(ids[1]);
        long c = ackedIndex.applyAsLong(ids[2]);
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c)); // the median
      }
      default: {
        // The highest acknowledged index that a quorum has reached. Without a sorting buffer:
        // n is small (a handful of voters), so counting for each candidate costs less than a
        // buffer in every group would.
        int quorum = n / 2 + 1;
        long best = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
          long v = ackedIndex.applyAsLong(ids[i]);
          if (v <= best) {
            continue;
          }
          int atLeast = 0;
          for (int j = 0; j < n; j++) {
            if (ackedIndex.applyAsLong(ids[j]) >= v) {
              atLeast++;
            }
          }
          if (atLeast >= quorum) {
            best = v;
          }
        }
        return best;
      }
    }
  }

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
