package io.multiraft.core;

/**
 * A follower's handling of current-term messages, including its side of replication: accepting the
 * leader's appends, the commit index its heartbeats carry, and snapshots. A candidate that learns
 * of a leader becomes a follower and handles the message here too.
 */
final class FollowerStep implements RoleStep {
  static final FollowerStep INSTANCE = new FollowerStep();

  private FollowerStep() {}

  @Override
  public void step(Raft r, Message m) {
    switch (m.type) {
      case APPEND -> {
        heardFromLeader(r, m);
        handleAppend(r, m);
      }
      case HEARTBEAT -> {
        heardFromLeader(r, m);
        handleHeartbeat(r, m);
      }
      case SNAPSHOT -> {
        heardFromLeader(r, m);
        handleSnapshot(r, m);
      }
      case TRANSFER_LEADER -> {
        if (r.lead == Raft.NONE) {
          r.counters().ignoredTransfers++;
        } else {
          r.send(new Message(r.groupId, MessageType.TRANSFER_LEADER, r.id, r.lead, r.term, 0, 0, null, 0, false, 0, null, m.context));
        }
      }
      case TIMEOUT_NOW -> Elections.hup(r, true); // leadership transfer: campaign at once, past the lease
      case READ_INDEX_RESPONSE -> r.addReadState(new ReadState(m.index, m.context));
      default -> { }
    }
  }

  private static void heardFromLeader(Raft r, Message m) {
    r.electionElapsed = 0;
    r.lead = m.from;
  }

  static void handleAppend(Raft r, Message m) {
    if (!wellFormed(m)) {
      r.counters().malformedMessages++;
      return;
    }
    if (m.index < r.log.committed) {
      // Lesson 3: an old append is answered with our commit index, not rejected.
      sendAppendResponse(r, m.from, r.log.committed, false, 0, 0);
      return;
    }
    long lastNew = r.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew >= 0) {
      sendAppendResponse(r, m.from, lastNew, false, 0, 0);
      return;
    }
    // Fast backtracking: point the leader at the last index whose term could match.
    long[] hint = r.log.findConflictByTerm(Math.min(m.index, r.log.lastIndex()), m.logTerm);
    sendAppendResponse(r, m.from, m.index, true, hint[0], hint[1]);
  }

  private static boolean wellFormed(Message m) {
    long expect = m.index + 1;
    long prevTerm = m.logTerm;
    for (int i = 0; i < m.entries.size(); i++) {
      Entry e = m.entries.get(i);
      if (e.index() != expect || e.term() < prevTerm || e.term() > m.term) {
        return false;
      }
      expect++;
      prevTerm = e.term();
    }
    return m.index >= 0 && m.commit >= 0;
  }

  private static void sendAppendResponse(Raft r, long to, long index, boolean reject, long hintIndex, long hintTerm) {
    r.send(new Message(r.groupId, MessageType.APPEND_RESPONSE, r.id, to, r.term, hintTerm, index, null, 0, reject, hintIndex, null, 0));
  }

  static void handleHeartbeat(Raft r, Message m) {
    // Lesson 4: the leader may know a commit beyond our log; clamp rather than fail.
    r.log.commitTo(Math.min(m.commit, r.log.lastIndex()));
    if (m.context == Message.QUIESCE) {
      // The leader went idle: an answer would tell it nothing it acts on (every follower already
      // acknowledged the whole log, and an answer does not wake it), yet costs two messages per
      // quiesce, which at thousands of groups with a write every few ticks is one write in four.
      // A follower of another term still answers, through the stale-term path of step.
      return;
    }
    r.send(new Message(r.groupId, MessageType.HEARTBEAT_RESPONSE, r.id, m.from, r.term, 0, 0, null, 0, false, 0, null, m.context));
  }

  static void handleSnapshot(Raft r, Message m) {
    if (m.snapshot == null || m.snapshot.isEmpty()) {
      r.counters().malformedMessages++;
      return;
    }
    if (restore(r, m.snapshot)) {
      sendAppendResponse(r, m.from, r.log.lastIndex(), false, 0, 0);
    } else {
      sendAppendResponse(r, m.from, r.log.committed, false, 0, 0);
    }
  }

  private static boolean restore(Raft r, Snapshot s) {
    if (s.index() <= r.log.committed) {
      return false;
    }
    if (!s.meta().confState().isMember(r.id)) {
      // A snapshot from a configuration we are not in: accepting it would strand us.
      r.counters().snapshotsRejectedNotMember++;
      return false;
    }
    if (r.log.matchTerm(s.index(), s.term())) {
      r.log.commitTo(s.index()); // we already have the entries: fast-forward instead of restoring
      return false;
    }
    r.log.restore(s);
    r.trk.restore(s.meta().confState(), r.log.lastIndex());
    r.membershipChanged();
    return true;
  }
}
