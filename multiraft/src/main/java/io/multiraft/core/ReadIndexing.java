package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Linearizable reads (Raft thesis §6.4) for one group: the leader records its commit index, confirms
 * it still leads by a quorum of heartbeat acknowledgements (or trusts its lease), then answers with
 * a {@link ReadState}; followers forward requests to the leader. Static over the group's state so
 * that it costs a group nothing.
 */
final class ReadIndexing {
  private ReadIndexing() {}

  static ProposeResult request(Raft r, long context) {
    if (context == 0) {
      throw new IllegalArgumentException("read-index context must be non-zero");
    }
    if (r.role == Role.LEADER) {
      return onLeader(r, r.id, context);
    }
    if (r.lead == Raft.NONE) {
      return ProposeResult.NO_LEADER;
    }
    r.send(new Message(r.groupId, MessageType.READ_INDEX, r.id, r.lead, r.term, 0, 0, null, 0, false, 0, null, context));
    return ProposeResult.ACCEPTED;
  }

  /** A read asked of this leader, locally ({@code from} = its id) or forwarded by a follower. */
  static ProposeResult onLeader(Raft r, long from, long context) {
    if (r.trk.voters.isSingleton(r.id)) {
      respond(r, from, r.log.committed, context);
      return ProposeResult.ACCEPTED;
    }
    if (r.log.termOrZero(r.log.committed) != r.term) {
      // Until an entry of our term commits, our commit index may be stale.
      if (r.pendingReadIndex == null) {
        r.pendingReadIndex = new ArrayList<>(2);
      }
      r.pendingReadIndex.add(new Message(r.groupId, MessageType.READ_INDEX, from, r.id, r.term, 0, 0, null, 0, false, 0, null, context));
      return ProposeResult.ACCEPTED;
    }
    return confirm(r, from, context);
  }

  private static ProposeResult confirm(Raft r, long from, long context) {
    if (r.lease != null) {
      return leaseRead(r, r.lease, from, context);
    }
    if (r.readOnly == null) {
      r.readOnly = new ReadOnly();
    }
    if (!r.readOnly.add(r.log.committed, from, context)) {
      return ProposeResult.DUPLICATE;
    }
    r.readOnly.ack(r.id, context);
    Replication.bcastHeartbeat(r, context);
    return ProposeResult.ACCEPTED;
  }

  /** The first entry of the leader's term committed: reads that waited for it may proceed. */
  static void releasePending(Raft r) {
    if (r.pendingReadIndex == null || r.log.termOrZero(r.log.committed) != r.term) {
      return;
    }
    List<Message> pending = r.pendingReadIndex;
    r.pendingReadIndex = null;
    for (Message m : pending) {
      confirm(r, m.from, m.context);
    }
  }

  private static ProposeResult leaseRead(Raft r, LeaderLease lease, long from, long context) {
    if (lease.valid(r.ticks) && r.leadTransferee == Raft.NONE) {
      r.counters().leaseReads++;
      respond(r, from, r.log.committed, context);
      return ProposeResult.ACCEPTED;
    }
    // No lease: confirm with a round sent after this read arrived (the safe ReadIndex check); its
    // acknowledgements renew the lease too. Reads arriving before the round leaves share it.
    long round = lease.unsentRound(r.msgs);
    if (round == 0) {
      round = lease.startRound(r.ticks, r.msgs, r.id);
      r.counters().readConfirmHeartbeats++;
      Replication.bcastHeartbeat(r, LeaderLease.context(round));
    }
    lease.addPending(r.log.committed, from, context, round);
    return ProposeResult.ACCEPTED;
  }

  /** A heartbeat response acknowledged a lease round. */
  static void leaseAcked(Raft r, long from, long round) {
    var done = r.lease.acked(from, round, r.trk.voters, r.ticks, r.cfg.electionTicks(), r.leadTransferee == Raft.NONE);
    for (LeaderLease.PendingRead p : done) {
      respond(r, p.from(), p.index(), p.context());
    }
  }

  /** A heartbeat response acknowledged a read's context. */
  static void acked(Raft r, long from, long context) {
    if (r.readOnly == null) {
      return;
    }
    var acks = r.readOnly.ack(from, context);
    if (acks == null) {
      return;
    }
    if (!quorum(r, acks)) {
      return;
    }
    for (ReadOnly.Pending p : r.readOnly.advance(context)) {
      respond(r, p.from, p.index, p.context);
    }
  }

  /**
   * The voters changed: reads waiting for acknowledgements may already have a quorum of the new
   * voters (a group shrunk to its leader gets no acknowledgements at all, and its reads would wait
   * for ever, keeping the group from going idle).
   */
  static void votersChanged(Raft r) {
    if (r.lease != null) {
      for (LeaderLease.PendingRead p : r.lease.votersChanged(r.trk.voters)) {
        respond(r, p.from(), p.index(), p.context());
      }
    }
    if (r.readOnly == null) {
      return;
    }
    long c = r.readOnly.newestConfirmed(acks -> quorum(r, acks));
    if (c != 0) {
      for (ReadOnly.Pending p : r.readOnly.advance(c)) {
        respond(r, p.from, p.index, p.context);
      }
    }
  }

  private static boolean quorum(Raft r, java.util.Set<Long> acks) {
    return r.trk.voters.voteResult(v -> true, acks::contains) == VoteResult.WON;
  }

  private static void respond(Raft r, long to, long index, long context) {
    if (to == r.id || to == Raft.NONE) {
      r.addReadState(new ReadState(index, context));
    } else {
      r.send(new Message(r.groupId, MessageType.READ_INDEX_RESPONSE, r.id, to, r.term, 0, index, null, 0, false, 0, null, context));
    }
  }
}
