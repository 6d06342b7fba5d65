package io.multiraft.core;

import java.util.List;
import java.util.TreeSet;

/**
 * Elections of one group: the role transitions, the election timer, campaigns with or without a
 * pre-vote, answering vote requests, a follower losing its leader, and leadership transfer. Static
 * over the group's state so that it costs a group nothing.
 */
final class Elections {
  private Elections() {}

  // ---------------------------------------------------------------- role transitions

  static void becomeFollower(Raft r, long newTerm, long leader) {
    r.stepFn = FollowerStep.INSTANCE;
    reset(r, newTerm);
    r.lead = leader;
    r.role = Role.FOLLOWER;
  }

  static void becomePreCandidate(Raft r) {
    r.check(r.role != Role.LEADER, "invalid transition leader -> pre-candidate");
    // Term and vote stay: a pre-vote changes nothing durable (Raft thesis §9.6).
    r.stepFn = CandidateStep.INSTANCE;
    r.trk.resetVotes();
    r.lead = Raft.NONE;
    r.leaseGuard = false;
    r.role = Role.PRE_CANDIDATE;
  }

  static void becomeCandidate(Raft r) {
    r.check(r.role != Role.LEADER, "invalid transition leader -> candidate");
    r.stepFn = CandidateStep.INSTANCE;
    reset(r, r.term + 1);
    r.leaseGuard = false;
    r.vote = r.id;
    r.role = Role.CANDIDATE;
  }

  static void becomeLeader(Raft r) {
    r.check(r.role == Role.CANDIDATE, "invalid transition to leader from " + r.role);
    r.stepFn = LeaderStep.INSTANCE;
    reset(r, r.term);
    r.lead = r.id;
    r.role = Role.LEADER;
    r.lease = r.leaseMode() ? new LeaderLease() : null;
    Progress self = r.trk.get(r.id);
    self.becomeReplicate();
    self.recentActive = true;
    // Conservatively no membership change until everything up to here is applied.
    r.pendingConfIndex = r.log.lastIndex();
    // An empty entry of the new term commits everything before it (§5.4.2).
    Entry empty = Entry.empty(r.term, r.log.lastIndex() + 1);
    Replication.appendEntries(r, List.of(empty));
  }

  private static void reset(Raft r, long newTerm) {
    if (r.term != newTerm) {
      r.term = newTerm;
      r.vote = Raft.NONE;
      r.campaignAfterApply = false;
      r.leaseGuard = false; // we accepted a newer term: the lease we may have granted is void
    }
    r.lead = Raft.NONE;
    r.electionElapsed = 0;
    r.heartbeatElapsed = 0;
    r.randomizedElectionTimeout = r.cfg.electionTicks() + r.random.nextInt(r.cfg.electionTicks());
    r.leadTransferee = Raft.NONE;
    r.trk.resetVotes();
    long last = r.log.lastIndex();
    for (int i = 0; i < r.trk.size(); i++) {
      Progress pr = r.trk.at(i);
      pr.match = 0;
      pr.next = last + 1;
      pr.state = ProgressState.PROBE;
      pr.msgAppFlowPaused = false;
      pr.pendingSnapshot = 0;
      pr.recentActive = false;
      pr.activeLastWindow = false;
      pr.resetInflights();
      if (r.trk.idAt(i) == r.id) {
        pr.match = r.log.persistedIndex();
        pr.recentActive = true;
      }
    }
    r.pendingConfIndex = 0;
    r.uncommittedSize = 0;
    int droppedReads = (r.readOnly == null ? 0 : r.readOnly.size()) + (r.pendingReadIndex == null ? 0 : r.pendingReadIndex.size())
        + (r.lease == null ? 0 : r.lease.pendingCount());
    r.lease = null;
    if (droppedReads > 0) {
      r.counters().droppedReadIndex += droppedReads;
    }
    r.readOnly = null;
    r.pendingReadIndex = null;
  }

  // ---------------------------------------------------------------- election timer

  static void tickElection(Raft r) {
    r.electionElapsed++;
    if (r.leaseGuard && r.electionElapsed >= r.cfg.electionTicks()) {
      // An election timeout passed without a leader: any lease we granted is over. Cleared, not
      // just outlived, because waking from sleep restarts the timer and would arm it again.
      r.leaseGuard = false;
    }
    if (r.promotable() && r.electionElapsed >= r.randomizedElectionTimeout) {
      r.electionElapsed = 0;
      hup(r, false);
    } else if (!r.promotable() && r.lead != Raft.NONE && r.electionElapsed >= r.cfg.electionTicks()) {
      // A replica that may not campaign (a learner, an empty or removed replica) and has not heard
      // from its leader for an election timeout forgets it, as a voter would by campaigning. The
      // runtime then lets it sleep until a message comes: a learner that a stray message woke after
      // its leader quiesced ticked for ever (multiraft sim seed 8081). And when a vote request
      // wakes it, it does not refuse for a leader it "recently" heard from (waking restarts the
      // election timer): a replica whose removal was undone by a later change it has not learned
      // yet still counts as a voter for the others (range sim seed 150895 with a sleep that kept
      // the leader). Nothing waits on this tick: asleep without a leader is where every empty
      // replica starts, and each message of a leader wakes it (DormantReplicaTest).
      r.lead = Raft.NONE;
    }
  }

  /**
   * The node of our leader is reported down (a failure detector outside Raft: the transport). A
   * follower forgets that leader, so it grants pre-votes at once instead of refusing them for an
   * election timeout (the "recently heard from the leader" check of PreVote with CheckQuorum), and
   * campaigns after {@code campaignInTicks} ticks instead of a whole randomized election timeout.
   * The runtime staggers {@code campaignInTicks} across the survivors, so one campaigns first and
   * the others only if it does not win. Returns whether the leader was forgotten.
   */
  static boolean leaderDown(Raft r, long peer, int campaignInTicks) {
    if (r.role != Role.FOLLOWER || r.lead != peer || peer == Raft.NONE) {
      return false;
    }
    r.lead = Raft.NONE;
    if (r.leaseMode()) {
      // The lost leader may still answer reads on a lease our last acknowledgement granted: keep
      // refusing votes, and do not campaign, until an election timeout after we last heard it.
      r.leaseGuard = true;
      r.randomizedElectionTimeout = Math.max(r.cfg.electionTicks(), r.electionElapsed + Math.max(1, campaignInTicks));
      return true;
    }
    r.electionElapsed = Math.max(0, r.randomizedElectionTimeout - Math.max(1, campaignInTicks));
    return true;
  }

  // ---------------------------------------------------------------- campaigns

  /** The public campaign: a no-op while leading or while an election is already under way (lesson 13). */
  static void campaignRequested(Raft r) {
    if (r.role != Role.FOLLOWER) {
      r.counters().redundantCampaigns++;
      return;
    }
    hup(r, false);
  }

  static void hup(Raft r, boolean transfer) {
    if (r.role == Role.LEADER) {
      r.counters().redundantCampaigns++;
      return;
    }
    if (!r.promotable()) {
      return;
    }
    if (hasUnappliedConfChanges(r)) {
      // Campaigning with a stale configuration could elect a leader the new one does not accept.
      r.counters().campaignsBlockedByConfChange++;
      // A transfer (TimeoutNow) often races the apply of the change that caused it: campaign as
      // soon as the change is applied rather than waiting an election timeout.
      r.campaignAfterApply = transfer;
      return;
    }
    if (r.cfg.preVote() && !transfer) {
      campaign(r, true, false);
    } else {
      campaign(r, false, transfer);
    }
  }

  static boolean hasUnappliedConfChanges(Raft r) {
    if (r.log.applied >= r.log.committed) {
      return false;
    }
    try {
      for (Entry e : r.log.slice(r.log.applied + 1, r.log.committed + 1, Long.MAX_VALUE)) {
        if (e.type() == EntryType.CONF_CHANGE) {
          return true;
        }
      }
    } catch (StorageException e) {
      return false;
    }
    return false;
  }

  static void campaign(Raft r, boolean pre, boolean transfer) {
    long voteTerm;
    MessageType type;
    if (pre) {
      becomePreCandidate(r);
      type = MessageType.PRE_VOTE;
      voteTerm = r.term + 1;
    } else {
      becomeCandidate(r);
      type = MessageType.VOTE;
      voteTerm = r.term;
    }
    TreeSet<Long> voters = new TreeSet<>(r.trk.conf.voters());
    voters.addAll(r.trk.conf.votersOutgoing());
    long lastIndex = r.log.lastIndex();
    long lastTerm = r.log.lastTerm();
    for (long voter : voters) {
      if (voter == r.id) {
        // Our own vote counts only once it is durable: it travels through msgsAfterPersist.
        r.send(new Message(r.groupId, type.voteResponse(), r.id, r.id, voteTerm, 0, 0, null, 0, false, 0, null, 0));
      } else {
        r.send(new Message(r.groupId, type, r.id, voter, voteTerm, lastTerm, lastIndex, null, 0, false, 0, null,
            transfer ? Message.CAMPAIGN_TRANSFER : 0));
      }
    }
  }

  static VoteResult poll(Raft r, long from, boolean granted) {
    r.trk.recordVote(from, granted);
    return r.trk.tallyVotes();
  }

  // ---------------------------------------------------------------- votes

  static void handleVote(Raft r, Message m) {
    boolean canVote = r.vote == m.from
        || (r.vote == Raft.NONE && r.lead == Raft.NONE)
        || (m.type == MessageType.PRE_VOTE && m.term > r.term);
    // An uninitialized replica (created empty, waiting for its first snapshot: no membership known)
    // may be the re-incarnation of a removed voter that forgot what it acknowledged; its vote could
    // elect a candidate missing committed entries. It votes once a snapshot made it a real member,
    // or when the embedder knows this node never held the group (emptyReplicaVotes).
    if (canVote && (r.emptyReplicaVotes || !r.trk.conf.equals(ConfState.EMPTY)) && r.log.isUpToDate(m.index, m.logTerm)) {
      // A granted response carries the candidate's term so that it counts there.
      r.send(new Message(r.groupId, m.type.voteResponse(), r.id, m.from, m.term, 0, 0, null, 0, false, 0, null, 0));
      if (m.type == MessageType.VOTE) {
        r.electionElapsed = 0;
        r.vote = m.from;
      }
    } else {
      // The refusal carries our commit index and its term: a candidate whose log matches there may
      // commit up to it. Without this, voters that missed the commit of a membership change can
      // wait forever for the vote of a removed node that holds entries they lack (simulation seed 3885).
      r.send(new Message(r.groupId, m.type.voteResponse(), r.id, m.from, r.term, r.log.termOrZero(r.log.committed), 0, null,
          r.log.committed, true, 0, null, 0));
    }
  }

  /** A peer's commit index is ours too where our logs match (Log Matching: same index and term). */
  static void learnCommit(Raft r, Message m) {
    if (m.commit > r.log.committed && m.commit <= r.log.lastIndex() && r.log.matchTerm(m.commit, m.logTerm)) {
      r.log.commitTo(m.commit);
    }
  }

  // ---------------------------------------------------------------- leadership transfer

  static void transferLeadership(Raft r, long target) {
    Progress pr = r.trk.get(target);
    if (pr == null || pr.isLearner || target == r.id) {
      r.counters().ignoredTransfers++;
      return;
    }
    if (r.leadTransferee == target) {
      return;
    }
    r.electionElapsed = 0; // the transfer must finish within one election timeout
    r.leadTransferee = target;
    if (r.lease != null) {
      // The target campaigns with TimeoutNow, which overrides the followers' stickiness.
      r.lease.drop();
    }
    if (pr.match == r.log.lastIndex()) {
      sendTimeoutNow(r, target);
    } else {
      Replication.sendAppend(r, target);
    }
  }

  static void sendTimeoutNow(Raft r, long to) {
    r.send(new Message(r.groupId, MessageType.TIMEOUT_NOW, r.id, to, r.term, 0, 0, null, 0, false, 0, null, 0));
  }
}
