package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Majority and joint quorums: commit index and vote outcome. */
class QuorumTest {

  private static MajorityConfig majority(long... ids) {
    TreeSet<Long> s = new TreeSet<>();
    for (long id : ids) {
      s.add(id);
    }
    return new MajorityConfig(s);
  }

  private static long committed(MajorityConfig c, Map<Long, Long> acked) {
    return c.committedIndex(id -> acked.getOrDefault(id, 0L));
  }

  @Test
  void majorityCommittedIndexIsTheHighestIndexOnAQuorum() {
    assertEquals(3, committed(majority(1, 2, 3), Map.of(1L, 5L, 2L, 3L, 3L, 1L)));
    assertEquals(5, committed(majority(1, 2, 3), Map.of(1L, 5L, 2L, 5L, 3L, 1L)));
    // Four voters need three: the third highest.
    assertEquals(1, committed(majority(1, 2, 3, 4), Map.of(1L, 5L, 2L, 3L, 3L, 1L, 4L, 0L)));
    assertEquals(3, committed(majority(1, 2, 3, 4), Map.of(1L, 5L, 2L, 3L, 3L, 4L, 4L, 0L)));
    assertEquals(7, committed(majority(9), Map.of(9L, 7L)));
    assertEquals(0, committed(majority(1, 2, 3), Map.of(1L, 100L)));
  }

  @Test
  void emptyMajorityDoesNotConstrain() {
    assertEquals(Long.MAX_VALUE, committed(majority(), Map.of()));
    assertEquals(VoteResult.WON, majority().voteResult(id -> false, id -> false));
  }

  @Test
  void majorityCommittedIndexMatchesBruteForceOnRandomInputs() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + rnd.nextInt(7);
      long[] ids = new long[n];
      Map<Long, Long> acked = new HashMap<>();
      for (int i = 0; i < n; i++) {
        ids[i] = 1 + i * 3L;
        acked.put(ids[i], (long) rnd.nextInt(10));
      }
      MajorityConfig c = majority(ids);
      // Brute force: the largest value that at least a majority has reached.
      long best = 0;
      for (long v : acked.values()) {
        long reached = acked.values().stream().filter(x -> x >= v).count();
        if (reached >= n / 2 + 1) {
          best = Math.max(best, v);
        }
      }
      // Call twice: nothing may carry over from one count to the next.
      assertEquals(best, committed(c, acked), "acked " + acked);
      assertEquals(best, committed(c, acked), "second call, acked " + acked);
    }
  }

  @Test
  void majorityVoteResult() {
    MajorityConfig c = majority(1, 2, 3);
    Map<Long, Boolean> votes = new HashMap<>();
    assertEquals(VoteResult.PENDING, result(c, votes));
    votes.put(1L, true);
    assertEquals(VoteResult.PENDING, result(c, votes));
    votes.put(2L, false);
    assertEquals(VoteResult.PENDING, result(c, votes), "3 can still decide");
    votes.put(3L, true);
    assertEquals(VoteResult.WON, result(c, votes));
    votes.put(3L, false);
    assertEquals(VoteResult.LOST, result(c, votes));
    votes.clear();
    votes.put(2L, true);
    votes.put(3L, true);
    assertEquals(VoteResult.WON, result(c, votes), "a majority wins without the rest");
    // An even-sized config: 2 of 4 is not enough.
    MajorityConfig four = majority(1, 2, 3, 4);
    assertEquals(VoteResult.PENDING, result(four, Map.of(1L, true, 2L, true)));
    assertEquals(VoteResult.LOST, result(four, Map.of(1L, true, 2L, true, 3L, false, 4L, false)));
    assertEquals(VoteResult.WON, result(four, Map.of(1L, true, 2L, true, 3L, true)));
    // Votes from non-members do not count.
    assertEquals(VoteResult.PENDING, result(c, Map.of(1L, true, 7L, true, 8L, true)));
  }

  private static VoteResult result(MajorityConfig c, Map<Long, Boolean> votes) {
    return c.voteResult(votes::containsKey, id -> Boolean.TRUE.equals(votes.get(id)));
  }

  private static VoteResult result(JointConfig c, Map<Long, Boolean> votes) {
    return c.voteResult(votes::containsKey, id -> Boolean.TRUE.equals(votes.get(id)));
  }

  @Test
  void jointCommittedIndexIsTheMinimumOfBothHalves() {
    JointConfig j = new JointConfig(majority(1, 2, 3), majority(3, 4, 5));
    Map<Long, Long> acked = Map.of(1L, 9L, 2L, 9L, 3L, 2L, 4L, 1L, 5L, 1L);
    assertEquals(9, committed(j.incoming, acked));
    assertEquals(1, committed(j.outgoing, acked));
    assertEquals(1, j.committedIndex(id -> acked.getOrDefault(id, 0L)));
    JointConfig simple = new JointConfig(majority(1, 2, 3), majority());
    assertEquals(9, simple.committedIndex(id -> acked.getOrDefault(id, 0L)), "an empty outgoing half does not constrain");
  }

  @Test
  void jointVoteNeedsBothHalves() {
    JointConfig j = new JointConfig(majority(1, 2, 3), majority(3, 4, 5));
    assertEquals(VoteResult.PENDING, result(j, Map.of(1L, true, 2L, true)), "incoming won, outgoing pending");
    assertEquals(VoteResult.LOST, result(j, Map.of(1L, true, 2L, true, 4L, false, 5L, false)), "outgoing lost");
    assertEquals(VoteResult.WON, result(j, Map.of(1L, true, 3L, true, 4L, true)));
    assertEquals(VoteResult.LOST, result(j, Map.of(1L, false, 2L, false, 4L, true, 5L, true)), "incoming lost");
    assertEquals(VoteResult.PENDING, result(j, Map.of()));
  }

  @Test
  void jointMembershipAndSingleton() {
    JointConfig j = new JointConfig(majority(1, 2), majority(2, 3));
    assertTrue(j.isVoter(1));
    assertTrue(j.isVoter(3));
    assertFalse(j.isVoter(4));
    assertFalse(j.isSingleton(1));
    assertTrue(new JointConfig(majority(1), majority()).isSingleton(1));
    assertFalse(new JointConfig(majority(1), majority()).isSingleton(2));
    assertFalse(new JointConfig(majority(1), majority(1)).isSingleton(1), "joint is never the singleton fast path");
  }

  @Test
  void majorityConfigSortsAndFindsIds() {
    MajorityConfig c = new MajorityConfig(Set.of(5L, 1L, 3L));
    assertEquals(3, c.size());
    long[] ids = {c.id(0), c.id(1), c.id(2)};
    assertEquals("[1, 3, 5]", Arrays.toString(ids));
    assertTrue(c.contains(3));
    assertFalse(c.contains(2));
  }
}
