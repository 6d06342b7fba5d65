package io.multiraft.core;

/** A candidate's or pre-candidate's handling of current-term messages. */
final class CandidateStep implements RoleStep {
  static final CandidateStep INSTANCE = new CandidateStep();

  private CandidateStep() {}

  @Override
  public void step(Raft r, Message m) {
    switch (m.type) {
      case APPEND -> {
        Elections.becomeFollower(r, m.term, m.from); // someone won this term
        FollowerStep.handleAppend(r, m);
      }
      case HEARTBEAT -> {
        Elections.becomeFollower(r, m.term, m.from);
        FollowerStep.handleHeartbeat(r, m);
      }
      case SNAPSHOT -> {
        Elections.becomeFollower(r, m.term, m.from);
        FollowerStep.handleSnapshot(r, m);
      }
      case VOTE_RESPONSE, PRE_VOTE_RESPONSE -> onVoteResponse(r, m);
      default -> { } // TIMEOUT_NOW and the rest mean nothing to a candidate
    }
  }

  private static void onVoteResponse(Raft r, Message m) {
    MessageType expected = r.role == Role.PRE_CANDIDATE ? MessageType.PRE_VOTE_RESPONSE : MessageType.VOTE_RESPONSE;
    if (m.type != expected) {
      return; // a late answer to an earlier phase
    }
    if (m.type == MessageType.PRE_VOTE_RESPONSE && !m.reject && m.term != r.term + 1) {
      // A grant carries the term its pre-vote proposed; this round proposes term + 1, so a grant for
      // our own term answered an earlier round (delayed in the network). Counting it let a replica
      // removed while away raise its term past the range's leader without any live voter's consent,
      // and the replica collector never drops a replica whose term is ahead of the leader's
      // (range simulation seed 150885 on 36fe3ca).
      r.counters().staleTermMessages++;
      return;
    }
    if (r.trk.get(m.from) == null && m.from != r.id) {
      r.counters().unknownPeerMessages++;
      return;
    }
    switch (Elections.poll(r, m.from, !m.reject)) {
      case WON -> {
        if (r.role == Role.PRE_CANDIDATE) {
          Elections.campaign(r, false, false); // the pre-vote was won: now campaign for real
        } else if (!r.trk.hasVoteFrom(r.id)) {
          // The others' votes are a quorum, but our own vote (and with it our term) is not durable
          // yet: it comes back through msgsAfterPersist. Leading now, a crash before that write
          // would restart us in the previous term; the same voters would elect us in this term
          // again, and our second leadership could write other entries at the (index, term) of
          // the first one's, which followers already hold (sim seed 18425). Win when it arrives.
          r.counters().votesAwaitingOwn++;
        } else {
          Elections.becomeLeader(r);
          Replication.bcastAppend(r);
        }
      }
      case LOST -> Elections.becomeFollower(r, r.term, Raft.NONE);
      case PENDING -> { }
    }
  }
}
