package io.multiraft.core;

/** The leader's handling of current-term messages. */
final class LeaderStep implements RoleStep {
  static final LeaderStep INSTANCE = new LeaderStep();

  private LeaderStep() {}

  @Override
  public void step(Raft r, Message m) {
    switch (m.type) {
      case APPEND_RESPONSE -> {
        Progress pr = known(r, m);
        if (pr != null) {
          onAppendResponse(r, m, pr);
        }
      }
      case HEARTBEAT_RESPONSE -> {
        Progress pr = known(r, m);
        if (pr != null) {
          onHeartbeatResponse(r, m, pr);
        }
      }
      case READ_INDEX -> {
        if (known(r, m) != null) {
          ReadIndexing.onLeader(r, m.from, m.context);
        }
      }
      case TRANSFER_LEADER -> {
        if (known(r, m) != null) {
          Elections.transferLeadership(r, m.context);
        }
      }
      // Votes arriving after we won (a quorum answered first) are normal, not malformed.
      case VOTE_RESPONSE, PRE_VOTE_RESPONSE -> { }
      default -> r.counters().malformedMessages++; // e.g. an APPEND of our own term: nobody else leads it
    }
  }

  private static Progress known(Raft r, Message m) {
    Progress pr = r.trk.get(m.from);
    if (pr == null) {
      r.counters().unknownPeerMessages++;
    }
    return pr;
  }

  private static void onAppendResponse(Raft r, Message m, Progress pr) {
    pr.recentActive = true;
    if (m.context == Message.TERM_NOTICE) {
      // The follower answered a message we sent in an earlier term, when we led before: it tells
      // us nothing about its log. Taken as an acknowledgement of index 0, it turned a probe of a
      // follower holding our whole log into REPLICATE from index 1 (seed 20011: a snapshot needed
      // where none was, which the leader could not produce, and the group never committed again).
      return;
    }
    if (m.reject) {
      if (m.rejectHint == 0 && m.logTerm == 0 && pr.match > 0) {
        // An empty log below what it matched: a re-created replica (no real follower has index 0,
        // groups start at a positive initial index). Without this the rejection looks stale and
        // the follower is never sent the snapshot it needs.
        pr.forgetMatch();
        Replication.sendAppend(r, m.from);
        return;
      }
      long nextProbe = m.rejectHint;
      if (m.logTerm > 0) {
        // Skip every entry of ours whose term is above the follower's term at its hint.
        nextProbe = r.log.findConflictByTerm(m.rejectHint, m.logTerm)[0];
      }
      if (pr.maybeDecrTo(m.index, nextProbe)) {
        if (pr.state == ProgressState.REPLICATE) {
          pr.becomeProbe();
        }
        Replication.sendAppend(r, m.from);
      }
      return;
    }
    if (m.index > r.log.lastIndex()) {
      r.counters().outOfRangeAcks++; // acknowledges entries we never had: ignore, never commit on it
      return;
    }
    boolean oldPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index) && !(pr.match == m.index && pr.state == ProgressState.PROBE)) {
      return;
    }
    switch (pr.state) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        if (pr.match + 1 >= r.log.firstIndex()) {
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.freeInflightsTo(m.index);
    }
    boolean committed = Replication.maybeCommit(r);
    if (committed) {
      ReadIndexing.releasePending(r);
    }
    if (committed && !r.cfg.lazyCommitBroadcast()) {
      Replication.bcastAppend(r);
    } else if (m.from != r.id && oldPaused && !r.cfg.lazyCommitBroadcast()) {
      // Lazily, the commit index rides the next append or (quiesce) heartbeat: an empty append
      // here would double the messages of a small inflight window, where the window is often full.
      Replication.sendAppend(r, m.from);
    }
    if (m.from != r.id) {
      // Fill the window: a response may free room for several messages.
      while (Replication.maybeSendAppend(r, m.from, false)) {
        // keep sending
      }
      if (m.from == r.leadTransferee && pr.match == r.log.lastIndex()) {
        Elections.sendTimeoutNow(r, m.from);
      }
    }
  }

  private static void onHeartbeatResponse(Raft r, Message m, Progress pr) {
    pr.recentActive = true;
    pr.msgAppFlowPaused = false;
    if (pr.state == ProgressState.REPLICATE && pr.inflightsFull()) {
      // Lesson 1: a lost append response must not stall this follower forever.
      pr.freeFirstInflight();
    }
    // A follower behind the leader gets an append, unless appends already flow to it (then their
    // responses drive it; resending would double the messages of a busy group).
    boolean flowing = r.cfg.heartbeatIdleFollowersOnly() && pr.appendedSinceHeartbeat;
    if ((pr.match < r.log.lastIndex() || pr.match < r.log.committed) && !flowing) {
      Replication.sendAppend(r, m.from);
    }
    if (r.cfg.readOnlyOption() == ReadOnlyOption.SAFE && m.context != 0) {
      ReadIndexing.acked(r, m.from, m.context);
    } else if (r.lease != null && LeaderLease.roundInContext(m.context) > 0) {
      ReadIndexing.leaseAcked(r, m.from, LeaderLease.roundInContext(m.context));
    }
  }
}
