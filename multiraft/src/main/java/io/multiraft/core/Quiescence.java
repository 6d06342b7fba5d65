package io.multiraft.core;

/**
 * Quiescence of one group: when a leader may stop ticking it (nothing in flight), the heartbeat
 * that tells followers so, and waking up again. Static over the group's state so that it costs a
 * group nothing.
 */
final class Quiescence {
  private Quiescence() {}

  /**
   * Whether this leader's group has nothing in flight: every follower holds the whole log, all of
   * it is committed and applied, and no read, transfer or membership change is pending. The
   * runtime then stops ticking the group (an idle group costs no CPU and no messages).
   * With {@code applyInFlight}, entries handed to the application and not yet applied do not count
   * as in flight: nothing in Raft waits on their apply (membership changes took effect at hand-off;
   * a joint configuration, whose leaving waits on it, keeps the group awake anyway), and the
   * runtime completes their writes without a tick.
   */
  static boolean canQuiesce(Raft r, boolean applyInFlight) {
    if (r.role != Role.LEADER || r.leadTransferee != Raft.NONE || (r.readOnly != null && r.readOnly.size() > 0) || r.pendingReadIndex != null
        || (r.lease != null && r.lease.pendingCount() > 0)
        || r.trk.isJoint() || !r.msgs.isEmpty() || !r.msgsAfterPersist.isEmpty()) {
      return false;
    }
    long last = r.log.lastIndex();
    if (r.log.committed != last || (applyInFlight ? r.log.applying : r.log.applied) != last || r.log.unstable.maybeLastIndex() >= 0) {
      return false;
    }
    for (int i = 0; i < r.trk.size(); i++) {
      Progress pr = r.trk.at(i);
      // A follower probed after a lost link may hold the whole log (match was acknowledged) while
      // there is nothing to append that would move it back to REPLICATE: it is caught up, and
      // waiting for that move would keep the group ticking and heartbeating for ever.
      if (r.trk.idAt(i) != r.id && (pr.match != last || pr.state == ProgressState.SNAPSHOT || pr.inflightCount() > 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a replica that does not lead has nothing to tick for until a message comes: it may not
   * campaign (an empty replica waiting for its snapshot, a learner, a removed voter), knows no
   * leader, and its lease guard is over. The guard runs out only by ticks, and waking restarts the
   * election timer: a replica asleep under it refused every vote for ever, though the others still
   * counted on its vote (lease simulation seed 20115: a voter that had not learned it was one).
   */
  static boolean canSleep(Raft r) {
    return r.lead == Raft.NONE && !r.promotable() && !r.leaseGuard;
  }

  /** The leader's last heartbeat before going idle; it carries the commit index, so followers are current. */
  static void quiesce(Raft r) {
    if (r.lease != null) {
      r.lease.drop(); // our tick count stops while idle: it cannot measure the lease any more
    }
    if (r.role == Role.LEADER) {
      Replication.bcastHeartbeat(r, Message.QUIESCE);
      for (int i = 0; i < r.trk.size(); i++) {
        r.trk.at(i).releaseInflights(); // an idle group keeps no window
      }
      if (r.readOnly != null && r.readOnly.size() == 0) {
        r.readOnly = null; // nor a read queue
      }
    }
  }

  /**
   * The group is ticked again after being idle. Its timers restart, and a leader counts every
   * follower as active: they were silent because the group was idle, not because they are gone.
   */
  static void wake(Raft r) {
    r.electionElapsed = 0;
    r.heartbeatElapsed = 0;
    if (r.lease != null) {
      r.lease.drop(); // idle time was not counted; followers may have elected someone else meanwhile
    }
    if (r.role == Role.LEADER) {
      for (int i = 0; i < r.trk.size(); i++) {
        r.trk.at(i).recentActive = true;
      }
    }
  }
}
