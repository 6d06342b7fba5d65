package io.multiraft.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A leader's lease for lease-based reads ({@link ReadOnlyOption#LEASE_BASED}). Time is the group's
 * own tick count, so the lease is measured on the leader's clock only.
 *
 * <p>The leader sends its heartbeats in numbered <em>rounds</em> (the round travels in the
 * heartbeat's context and comes back in the response). When a quorum has acknowledged round k,
 * every one of those voters received a heartbeat sent at or after round k's send tick, and each
 * refuses votes for an election timeout after that (leader stickiness, see
 * {@link Raft#step(Message)}). No other leader can therefore be elected before
 * {@code sendTick(k) + electionTicks - 1} (one tick is lost to tick granularity), and the lease
 * ends {@link #SAFETY_MARGIN_TICKS} earlier still, for clock drift between the nodes.
 *
 * <p>A read without a lease is not refused: it waits for the quorum acknowledgement of a round
 * sent after it arrived, which is exactly the safe ReadIndex check, and that round renews the lease.
 *
 * <p>Invariant: rounds below {@link #minLeaseRound} never extend the lease; it is raised whenever
 * the lease must be given up (transfer start, quiescence, wake), because a follower may stop
 * protecting us from then on (TimeoutNow overrides stickiness) or our tick count stopped.
 */
final class LeaderLease {
  /** Ticks of clock drift tolerated between the leader and its followers. */
  static final int SAFETY_MARGIN_TICKS = 2;
  /** Send ticks are kept for this many recent rounds; an older round could not extend a lease anyway. */
  private static final int ROUNDS_KEPT = 64;

  private final long[] sendTick = new long[ROUNDS_KEPT];
  /** Highest round each voter acknowledged. */
  private final HashMap<Long, Long> ackedRound = new HashMap<>();
  private final ArrayList<PendingRead> pending = new ArrayList<>(0);

  /** The next round's number; rounds start at 1. */
  private long nextRound = 1;
  private long minLeaseRound = 1;
  /** Highest round a quorum acknowledged. */
  private long quorumRound;
  /** The lease holds while the leader's tick count is below this. */
  private long expiresAtTick = Long.MIN_VALUE;
  /** The {@code msgs} list that holds the latest round's heartbeats while they are not handed out yet. */
  private List<Message> unsentRoundIn;

  record PendingRead(long index, long from, long context, long round) {}

  /** Whether a read at tick {@code now} may be answered without asking the followers. */
  boolean valid(long now) {
    return now < expiresAtTick;
  }

  /**
   * The round for a read that just arrived: the latest round if its heartbeats have not left yet
   * (they are still in {@code currentMsgs}), else zero, meaning a new round must be sent.
   */
  long unsentRound(List<Message> currentMsgs) {
    return unsentRoundIn == currentMsgs && !currentMsgs.isEmpty() ? nextRound - 1 : 0;
  }

  /** Starts a round at tick {@code now}; the caller sends heartbeats carrying {@link #context(long)}. */
  long startRound(long now, List<Message> currentMsgs, long self) {
    long round = nextRound++;
    sendTick[(int) (round % ROUNDS_KEPT)] = now;
    ackedRound.put(self, round);
    unsentRoundIn = currentMsgs;
    return round;
  }

  void addPending(long index, long from, long context, long round) {
    pending.add(new PendingRead(index, from, context, round));
  }

  int pendingCount() {
    return pending.size();
  }

  /** Gives the lease up; only rounds started from now on can grant a new one. */
  void drop() {
    expiresAtTick = Long.MIN_VALUE;
    minLeaseRound = nextRound;
  }

  /**
   * Records that {@code voter} acknowledged {@code round}. Returns the reads the acknowledgement
   * confirmed (possibly none) and extends the lease when a quorum newly acknowledged a round.
   */
  List<PendingRead> acked(long voter, long round, JointConfig voters, long now, int electionTicks, boolean mayExtend) {
    if (round <= 0 || round >= nextRound) {
      return List.of(); // not a round of this term's leadership
    }
    ackedRound.merge(voter, round, Math::max);
    return advance(voters, now, electionTicks, mayExtend);
  }

  /**
   * The voters changed: a quorum of the new ones may already have acknowledged rounds that reads
   * wait on (a group shrunk to its leader gets no acknowledgements at all, and its reads would
   * wait for ever, keeping the group from going idle). Returns the reads that confirmed; the lease
   * is not extended by this, only by acknowledgements.
   */
  List<PendingRead> votersChanged(JointConfig voters) {
    return advance(voters, 0, 0, false);
  }

  private List<PendingRead> advance(JointConfig voters, long now, int electionTicks, boolean mayExtend) {
    long q = quorumRound(voters);
    if (q <= quorumRound) {
      return List.of();
    }
    quorumRound = q;
    boolean recent = nextRound - q < ROUNDS_KEPT;
    if (mayExtend && recent && q >= minLeaseRound) {
      long until = sendTick[(int) (q % ROUNDS_KEPT)] + electionTicks - 1 - SAFETY_MARGIN_TICKS;
      expiresAtTick = Math.max(expiresAtTick, until);
    }
    if (pending.isEmpty()) {
      return List.of();
    }
    List<PendingRead> done = new ArrayList<>();
    pending.removeIf(p -> {
      if (p.round() <= q) {
        done.add(p);
        return true;
      }
      return false;
    });
    return done;
  }

  /** The highest round acknowledged by a quorum (the leader has acknowledged every round it sent). */
  private long quorumRound(JointConfig voters) {
    long best = quorumRound;
    for (long candidate : ackedRound.values()) {
      if (candidate > best && voters.voteResult(v -> true, v -> roundOf(v) >= candidate) == VoteResult.WON) {
        best = candidate;
      }
    }
    return best;
  }

  private long roundOf(long voter) {
    Long r = ackedRound.get(voter);
    return r == null ? 0 : r;
  }

  /** Heartbeat context naming a round; below every other context value in use. */
  static long context(long round) {
    return Message.LEASE_ROUND_BASE - round;
  }

  /** The round a heartbeat context names, or 0 if it names none. */
  static long roundInContext(long context) {
    return context <= Message.LEASE_ROUND_BASE - 1 ? Message.LEASE_ROUND_BASE - context : 0;
  }
}
