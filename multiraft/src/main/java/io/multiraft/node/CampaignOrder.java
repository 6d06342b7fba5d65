package io.multiraft.node;

import java.util.Collection;

/**
 * Which replica of a group campaigns first, the same on every node without talking: the voters
 * ordered by a hash of (group, node). Used when a group is created (only the first replica takes
 * the fast first election) and when the transport reports a leader's node down (the survivors
 * campaign one after the other, in this order). The hash spreads the first places evenly over the
 * nodes, so leadership is spread too, instead of going to whichever node happened to tick first.
 */
final class CampaignOrder {
  private CampaignOrder() {}

  /**
   * Place of {@code self} among {@code candidates} other than {@code excluded} (0: first);
   * candidates need not contain self. {@code excluded}: a lost node, or 0 for none.
   */
  static int rank(long groupId, long self, Collection<Long> candidates, long excluded) {
    long mine = key(groupId, self);
    int rank = 0;
    for (long c : candidates) {
      if (c == self || c == excluded) {
        continue;
      }
      long k = key(groupId, c);
      if (Long.compareUnsigned(k, mine) < 0 || (k == mine && c < self)) {
        rank++;
      }
    }
    return rank;
  }

  private static long key(long groupId, long node) {
    long x = groupId * 0x9E3779B97F4A7C15L + node * 0xC2B2AE3D27D4EB4FL;
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }
}
