package io.multiraft.rangestore.api;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.range.RangeException;
import java.util.concurrent.CompletionException;

/**
 * Prepares a node's replica of a range as an empty one, for the range's leader to fill with a
 * snapshot, where the caller saw none or has just dropped the one there. A prepare that finds a
 * group answers that it exists, and the group it found need not be empty: a split creates the
 * right range's group asynchronously, after the new descriptor (and the right range's state) are
 * visible, so a lagging left replica's split can create it between the caller's look (or drop) and
 * its prepare. That group has the split's membership and its log from the split on, with no state
 * under it or a state the caller dropped; kept, it replays the range's history, refusing every
 * entry for lack of state or applying its own removal and deleting itself, so the node never
 * catches up (ReplicaMoveTest.aSplitGroupCreatedBetweenTheDropAndThePrepareIsDroppedAgain). So the
 * replica prepared must be empty, or it is dropped and prepared again: the split creates the group
 * once, and a second round finds the empty one.
 *
 * <p>For a node already in the membership the leader may fill the new replica before the check
 * looks (a multi-threaded node); it is then dropped and filled again, which costs a snapshot.
 */
final class EmptyReplica {
  /** Rounds of prepare and check: the split's late group takes one; more mean something else keeps creating it. */
  static final int MAX_ROUNDS = 4;

  private EmptyReplica() {}

  /** One node's replica of one range, through blocking calls that throw when they fail. */
  interface Site {
    long nodeId();

    void drop();

    /** Creates an empty group, or finds one there (which counts as done). */
    void prepare();

    /** The membership the node's group of the range holds, as of now: empty until a snapshot fills it. */
    ConfState conf();
  }

  /** Prepares the replica of {@code rangeId} on {@code site} until the one there is empty. */
  static void prepare(Site site, long rangeId) {
    for (int round = 1; ; round++) {
      site.prepare();
      ConfState found = confIfThere(site);
      if (ConfState.EMPTY.equals(found)) {
        return;
      }
      if (round == MAX_ROUNDS) {
        throw new RangeException("node " + site.nodeId() + " still holds a replica of range " + rangeId + " with membership "
            + (found == null ? "(gone again)" : found) + " after " + round + " rounds of drop and prepare; expected an empty one");
      }
      if (found != null) {
        site.drop();
      }
    }
  }

  /**
   * The membership of the replica there, or null when there is none any more: the split's late
   * group that a prepare found may replay its own removal and delete itself before the check looks
   * (ReplicaMoveTest.aNodeReAddedWhileItOwesTheSplitGetsAFreshReplicaNotTheOneTheSplitCreates, 1
   * run in 6). It is gone, as a drop would have made it: prepare again.
   */
  private static ConfState confIfThere(Site site) {
    try {
      return site.conf();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RangeException.RangeNotFound) {
        return null;
      }
      throw e;
    }
  }
}
