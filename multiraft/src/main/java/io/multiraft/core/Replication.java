package io.multiraft.core;

import java.util.List;

/**
 * The leader's side of replication for one group: its heartbeat timer (CheckQuorum, snapshot and
 * transfer timeouts), appending to its own log, advancing the commit index, and sending appends,
 * snapshots and heartbeats to followers; the transport's link reports adjust the followers'
 * progress. The followers' responses are handled in {@link LeaderStep}, their side in
 * {@link FollowerStep}. Static over the group's state so that it costs a group nothing.
 */
final class Replication {
  private Replication() {}

  // ---------------------------------------------------------------- the leader's timer

  static void tickHeartbeat(Raft r) {
    r.heartbeatElapsed++;
    r.electionElapsed++;
    if (r.electionElapsed >= r.cfg.electionTicks()) {
      r.electionElapsed = 0;
      if (r.cfg.checkQuorum() && !r.trk.quorumActive()) {
        r.counters().checkQuorumStepDowns++;
        Elections.becomeFollower(r, r.term, Raft.NONE);
        return;
      }
      for (int i = 0; i < r.trk.size(); i++) {
        if (r.trk.idAt(i) != r.id) {
          Progress pr = r.trk.at(i);
          pr.activeLastWindow = pr.recentActive;
          pr.recentActive = false;
          if (pr.state == ProgressState.SNAPSHOT) {
            // Lesson 8: if the link never reports the snapshot's fate, resume by probing after at
            // most one more election timeout rather than pausing this follower forever.
            if (pr.snapshotWindowPassed) {
              pr.becomeProbe();
              pr.msgAppFlowPaused = true;
            } else {
              pr.snapshotWindowPassed = true;
            }
          }
        }
      }
      if (r.leadTransferee != Raft.NONE) {
        r.leadTransferee = Raft.NONE; // the transfer did not finish within an election timeout
        if (r.lease != null) {
          r.lease.drop(); // rounds sent during the transfer were not protected by stickiness
        }
      }
    }
    if (r.heartbeatElapsed >= r.cfg.heartbeatTicks()) {
      r.heartbeatElapsed = 0;
      // In lease mode every heartbeat is a numbered round whose acknowledgements renew the lease.
      periodicHeartbeat(r, r.lease != null ? LeaderLease.context(r.lease.startRound(r.ticks, r.msgs, r.id)) : r.readOnly == null ? 0 : r.readOnly.lastPendingContext());
    }
    if (r.leadTransferee == Raft.NONE && !r.trk.isVoter(r.id) && r.cfg.stepDownOnRemoval()) {
      Membership.handOver(r); // the previous attempt timed out: try again
    }
  }

  // ---------------------------------------------------------------- the leader's own log

  static void appendEntries(Raft r, List<Entry> entries) {
    r.log.append(entries);
    // Our own acknowledgement, delivered after our write is durable.
    sendAppendResponseToSelf(r, r.log.lastIndex());
  }

  private static void sendAppendResponseToSelf(Raft r, long index) {
    r.msgsAfterPersist.add(new Message(r.groupId, MessageType.APPEND_RESPONSE, r.id, r.id, r.term, 0, index, null, 0, false, 0, null, 0));
  }

  static boolean maybeCommit(Raft r) {
    long mci = r.trk.committed();
    if (mci == Long.MAX_VALUE || mci <= r.log.committed) {
      return false;
    }
    // §5.4.2: only entries of the current term are committed by counting replicas.
    if (r.log.termOrZero(mci) != r.term) {
      return false;
    }
    r.log.commitTo(mci);
    return true;
  }

  // ---------------------------------------------------------------- appends, snapshots and heartbeats to followers

  static void bcastAppend(Raft r) {
    for (int i = 0; i < r.trk.size(); i++) {
      long to = r.trk.idAt(i);
      if (to != r.id) {
        sendAppend(r, to);
      }
    }
  }

  static void bcastHeartbeat(Raft r, long context) {
    for (int i = 0; i < r.trk.size(); i++) {
      long to = r.trk.idAt(i);
      if (to != r.id) {
        sendHeartbeat(r, to, r.trk.at(i), context);
      }
    }
  }

  /**
   * The heartbeat of every heartbeat interval. With {@code heartbeatIdleFollowersOnly}, a follower
   * is skipped that got an append since the last one (the append already reset its election timer
   * and carried the commit index), or that got one less than half an election timeout ago and
   * either still owes its response or acknowledged the whole log. Owing: the response will prove
   * it alive, and heartbeating it anyway made every write that took longer than a tick cost a
   * heartbeat, its response and a redundant append per follower (at 10,000 groups, under load,
   * more than half the messages). Caught up: all it lacks is the commit index, which the quiesce
   * heartbeat carries a tick or two later; a group with a write every second or so otherwise paid a
   * heartbeat round per write before going idle. After half an election timeout the follower is
   * heartbeated again: an append may have been lost (the response resends what it misses), and
   * its election timer must not run out. A read in progress always goes to everyone.
   */
  private static void periodicHeartbeat(Raft r, long context) {
    boolean skipBusy = r.cfg.heartbeatIdleFollowersOnly() && context == 0;
    for (int i = 0; i < r.trk.size(); i++) {
      long to = r.trk.idAt(i);
      Progress pr = r.trk.at(i);
      if (to != r.id && !(skipBusy && (pr.appendedSinceHeartbeat || awaitingRecentAppend(r, pr)))) {
        sendHeartbeat(r, to, pr, context);
      }
      pr.appendedSinceHeartbeat = false;
    }
  }

  private static boolean awaitingRecentAppend(Raft r, Progress pr) {
    return pr.state == ProgressState.REPLICATE && (pr.inflightCount() > 0 || pr.match == r.log.lastIndex())
        && (int) r.ticks - pr.lastAppendTick < Math.max(1, r.cfg.electionTicks() / 2);
  }

  private static void sendHeartbeat(Raft r, long to, Progress pr, long context) {
    long commit = Math.min(pr.match, r.log.committed);
    r.send(new Message(r.groupId, MessageType.HEARTBEAT, r.id, to, r.term, 0, 0, null, commit, false, 0, null, context));
  }

  static void sendAppend(Raft r, long to) {
    maybeSendAppend(r, to, true);
  }

  /** Sends entries (or, if {@code sendIfEmpty}, an empty append) unless the follower is paused. */
  static boolean maybeSendAppend(Raft r, long to, boolean sendIfEmpty) {
    Progress pr = r.trk.get(to);
    if (pr == null || pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next - 1;
    long prevTerm;
    List<Entry> ents;
    try {
      prevTerm = r.log.term(prevIndex);
      ents = r.log.entries(pr.next, r.cfg.maxSizePerMsgBytes());
    } catch (StorageException.Compacted e) {
      // Lesson 5: the log was compacted under us; the follower needs a snapshot.
      r.counters().compactedDuringSend++;
      return maybeSendSnapshot(r, to, pr);
    } catch (StorageException.Unavailable e) {
      r.counters().compactedDuringSend++;
      return false;
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    long bytes = Entry.sizeBytes(ents);
    r.send(new Message(r.groupId, MessageType.APPEND, r.id, to, r.term, prevTerm, prevIndex, ents, r.log.committed, false, 0, null, 0));
    pr.sentEntries(ents.size(), bytes, prevIndex + ents.size());
    pr.appendedSinceHeartbeat = true;
    pr.lastAppendTick = (int) r.ticks;
    return true;
  }

  private static boolean maybeSendSnapshot(Raft r, long to, Progress pr) {
    if (!pr.recentActive) {
      r.counters().snapshotsSkippedInactive++;
      return false;
    }
    Snapshot s;
    try {
      s = r.log.snapshot();
    } catch (StorageException.SnapshotTemporarilyUnavailable e) {
      r.counters().snapshotsTemporarilyUnavailable++; // retried on a later heartbeat response
      return false;
    } catch (RuntimeException e) {
      // Lesson 10: a snapshot that cannot be produced aborts this send, not the group.
      r.counters().snapshotsFailed++;
      r.counters().lastSnapshotError = String.valueOf(e);
      return false;
    }
    if (s.isEmpty()) {
      r.counters().snapshotsFailed++;
      r.counters().lastSnapshotError = "storage returned an empty snapshot";
      return false;
    }
    pr.becomeSnapshot(s.index());
    r.send(new Message(r.groupId, MessageType.SNAPSHOT, r.id, to, r.term, 0, 0, null, 0, false, 0, s, 0));
    return true;
  }

  // ---------------------------------------------------------------- link reports

  static void reportUnreachable(Raft r, long peer) {
    Progress pr = r.trk.get(peer);
    if (r.role == Role.LEADER && pr != null && pr.state == ProgressState.REPLICATE) {
      pr.becomeProbe(); // optimistic appends are probably lost; probe again
    }
  }

  static void reportSnapshot(Raft r, long peer, boolean ok) {
    Progress pr = r.trk.get(peer);
    if (r.role != Role.LEADER || pr == null || pr.state != ProgressState.SNAPSHOT) {
      return;
    }
    if (!ok) {
      pr.pendingSnapshot = 0;
    }
    // Lesson 8: resume by probing; wait for a heartbeat response before sending, so a follower
    // still installing the snapshot is not flooded.
    pr.becomeProbe();
    pr.msgAppFlowPaused = true;
  }
}
