package io.multiraft.node;

import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.LogStorage;
import io.multiraft.core.StorageException;
import io.multiraft.spi.StateMachine;

/** Where a group's Raft restarts applying from, given its durable log and its state machine. */
final class RestartPoint {
  private RestartPoint() {}

  /**
   * What the state machine holds durably counts as applied; never less than the compaction point,
   * whose entries are gone from the log. But Raft restarts only from what its own log proves
   * committed: a state machine restored from a snapshot whose Raft position a crash lost (lesson
   * 12: restore first, persist second) may be ahead of a log whose tail is stale.
   */
  static long applied(LogStorage log, StateMachine sm) {
    long smApplied = sm.lastApplied();
    long first = log.firstIndex();
    long proven = Math.max(log.initialState().hardState().commit(), first - 1);
    // Entries up to smApplied are not handed out again, so a membership change among them reaches
    // Raft only through a state machine that records the membership it applied.
    if (smApplied > proven && smApplied <= log.lastIndex() && sm.lastAppliedTerm() > 0
        && termOrZero(log, smApplied) == sm.lastAppliedTerm()
        && (sm.appliedConfState() != null || !hasConfChange(log, proven + 1, smApplied))) {
      // The log holds the entry the state machine applied last, from the same term, so (Log
      // Matching) the log up to there is what was applied, and it was committed. Without this a
      // leader whose commit index a crash set back cannot snapshot until it commits in its new
      // term, which may need the very follower that waits for that snapshot (sim seed 50442).
      proven = smApplied;
    }
    return Math.min(Math.min(Math.max(smApplied, first - 1), log.lastIndex()), proven);
  }

  static long termOrZero(LogStorage log, long index) {
    try {
      return log.term(index);
    } catch (StorageException e) {
      return 0;
    }
  }

  private static boolean hasConfChange(LogStorage log, long lo, long hi) {
    try {
      for (Entry e : log.entries(lo, hi + 1, Long.MAX_VALUE)) {
        if (e.type() == EntryType.CONF_CHANGE) {
          return true;
        }
      }
      return false;
    } catch (StorageException e) {
      return true; // cannot tell: do not skip
    }
  }
}
