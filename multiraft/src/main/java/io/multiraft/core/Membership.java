package io.multiraft.core;

import java.util.List;

/**
 * Membership changes of one group as its leader and replicas see them: proposing a change (with the
 * strict quorum check of lesson 15), switching to the configuration a committed change produces
 * (lesson 14's re-check of the commit index), and a removed leader handing over. Static over the
 * group's state so that it costs a group nothing.
 */
final class Membership {
  private Membership() {}

  static ProposeResult propose(Raft r, ConfChange cc) {
    if (r.role != Role.LEADER) {
      return ProposeResult.NOT_LEADER;
    }
    if (r.leadTransferee != Raft.NONE) {
      return ProposeResult.TRANSFERRING;
    }
    if (r.pendingConfIndex > r.log.applied) {
      return ProposeResult.CONF_CHANGE_PENDING;
    }
    if (r.trk.isJoint() != cc.isLeaveJoint()) {
      return ProposeResult.INVALID_CONF_CHANGE; // must leave a joint config before anything else
    }
    ConfChanger.Result next;
    try {
      next = new ConfChanger(r.trk, r.log.lastIndex()).apply(cc);
    } catch (ConfChanger.InvalidConfChangeException e) {
      r.counters().lastConfChangeError = e.getMessage();
      return ProposeResult.INVALID_CONF_CHANGE;
    }
    if ((removesVoter(r.trk.conf, next.conf()) || addsVoter(r.trk, next.conf())) && !quorumAlive(r, next.conf())) {
      return ProposeResult.WOULD_LOSE_QUORUM;
    }
    byte[] data = ConfChangeCodec.encode(cc);
    if (!r.increaseUncommittedSize(data.length)) {
      return ProposeResult.UNCOMMITTED_LIMIT;
    }
    Entry e = new Entry(r.term, r.log.lastIndex() + 1, EntryType.CONF_CHANGE, data);
    Replication.appendEntries(r, List.of(e));
    r.pendingConfIndex = e.index();
    Replication.bcastAppend(r);
    return ProposeResult.ACCEPTED;
  }

  private static boolean removesVoter(ConfState before, ConfState after) {
    for (long v : before.voters()) {
      if (!after.voters().contains(v)) {
        return true;
      }
    }
    for (long v : before.votersOutgoing()) {
      if (!after.voters().contains(v)) {
        return true;
      }
    }
    return false;
  }

  private static boolean addsVoter(ProgressTracker before, ConfState after) {
    for (long v : after.voters()) {
      if (!before.isVoter(v)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Lesson 15: can the members we have heard from lately form a quorum of {@code conf}? Checked
   * for additions too (etcd's strict reconfiguration check, without its exception for a second
   * member): a voter added where no replica answers, when the others are not a quorum without it
   * (a group of one, say), loses the quorum. CheckQuorum then deposes the leader, and nobody can
   * be elected again: only a leader could fill the new voter's replica, and an empty replica does
   * not vote (multiraft sim seed 9757). Such a voter joins as a learner first. A voter being added
   * counts once it acknowledged entries to this leader: a member just added counts as active
   * before it was ever heard from, and a replica that only rejects is still empty.
   */
  private static boolean quorumAlive(Raft r, ConfState conf) {
    JointConfig jc = new JointConfig(new MajorityConfig(conf.voters()), new MajorityConfig(conf.votersOutgoing()));
    return jc.voteResult(v -> true, v -> {
      if (v == r.id) {
        return true;
      }
      Progress pr = r.trk.get(v);
      return pr != null && pr.alive() && (pr.match > 0 || r.trk.isVoter(v));
    }) == VoteResult.WON;
  }

  /** A committed change is applied: returns the membership in force (unchanged if the change is invalid). */
  static ConfState apply(Raft r, ConfChange cc) {
    ConfChanger.Result next;
    try {
      next = new ConfChanger(r.trk, r.log.lastIndex()).apply(cc);
    } catch (ConfChanger.InvalidConfChangeException e) {
      r.counters().rejectedConfChanges++;
      r.counters().lastConfChangeError = e.getMessage();
      return r.trk.conf;
    }
    switchTo(r, next);
    return r.trk.conf;
  }

  private static void switchTo(Raft r, ConfChanger.Result next) {
    r.trk.apply(next.conf(), next.progress());
    for (var e : r.trk.all().entrySet()) {
      e.getValue().isLearner = next.conf().learners().contains(e.getKey());
    }
    r.membershipChanged();
    if (r.role == Role.LEADER && !r.trk.isVoter(r.id) && r.cfg.stepDownOnRemoval()) {
      // Stepping down at once can strand the group: the remaining voters may not yet know that
      // our removal committed, so they still need our vote, and we may hold entries they lack.
      // Hand leadership to the most up-to-date remaining voter instead (TimeoutNow once caught up).
      handOver(r);
    }
    if (r.role != Role.LEADER || r.trk.conf.voters().isEmpty()) {
      return;
    }
    // Lesson 14: a smaller quorum may already have acknowledged pending entries.
    if (Replication.maybeCommit(r)) {
      Replication.bcastAppend(r);
    } else {
      for (long to : r.trk.all().keySet()) {
        if (to != r.id) {
          Replication.maybeSendAppend(r, to, false);
        }
      }
    }
    if (r.leadTransferee != Raft.NONE && !r.trk.isVoter(r.leadTransferee)) {
      r.leadTransferee = Raft.NONE;
    }
  }

  /** A leader no longer in the configuration passes leadership to the best remaining voter. */
  static void handOver(Raft r) {
    if (r.leadTransferee != Raft.NONE) {
      return;
    }
    long best = Raft.NONE;
    long bestMatch = -1;
    for (var e : r.trk.all().entrySet()) {
      long peer = e.getKey();
      if (peer != r.id && r.trk.isVoter(peer) && e.getValue().match > bestMatch) {
        best = peer;
        bestMatch = e.getValue().match;
      }
    }
    if (best == Raft.NONE) {
      Elections.becomeFollower(r, r.term, Raft.NONE);
    } else {
      Elections.transferLeadership(r, best);
    }
  }
}
