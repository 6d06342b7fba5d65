package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One replica of one group: the Raft algorithm as a deterministic state machine. No threads, no
 * clock, no I/O: time is {@link #tick()}, input is {@link #step(Message)} and local requests,
 * output accumulates in {@link #msgs}, {@link #msgsAfterPersist} and {@link #readStates} until
 * {@link RaftGroup} hands it out. Not thread-safe: one owner thread at a time.
 *
 * <p>Messages that acknowledge or grant something (append responses, vote responses, and the
 * replica's own acknowledgement of its log) go to {@link #msgsAfterPersist}: they may leave only
 * once the state they promise is durable. Everything else may leave at once; in particular a
 * leader sends appends while its own write is in flight (Raft thesis §10.2.1).
 *
 * <p>This class owns the state and dispatches; the jobs are static helpers over it, so a group pays
 * for none of them: {@link Elections} (role transitions, election timer, campaigns, votes,
 * transfer), {@link Replication} (the leader's timer, sends and commit), the role steps
 * ({@link LeaderStep}, {@link FollowerStep}, {@link CandidateStep}) for current-term messages,
 * {@link ReadIndexing}, {@link Membership} and {@link Quiescence}.
 */
final class Raft {
  static final long NONE = 0;

  /**
   * The settings, one instance for the node's groups ({@link RaftConfig#shared}): its group id,
   * applied index, fast first election and empty-replica votes are not this group's (the
   * constructor reads those).
   */
  final RaftConfig cfg;
  /** This group's {@link RaftConfig#emptyReplicaVotes}. */
  final boolean emptyReplicaVotes;
  final long groupId;
  final long id;
  private RaftCounters counters; // created on first use: most groups never refuse anything
  final RaftLog log;
  final ProgressTracker trk;
  final SplittableRandom random;

  long term;
  long vote;
  long lead = NONE;
  Role role = Role.FOLLOWER;
  RoleStep stepFn = FollowerStep.INSTANCE;
  boolean isLearner;
  /** Whether we may campaign: kept with the membership, since every tick of a follower asks. */
  private boolean promotable;

  /**
   * A Ready takes these lists and leaves new ones: sized for a round's messages (an append per
   * follower, an acknowledgement) so the first add does not grow a default-sized array. A group
   * going idle trades them for empty lists, which hold no array ({@link RaftGroup#dropIdleBuffers}).
   */
  static final int MSGS_CAPACITY = 4;
  ArrayList<Message> msgs = new ArrayList<>(MSGS_CAPACITY);
  ArrayList<Message> msgsAfterPersist = new ArrayList<>(MSGS_CAPACITY);
  /** Answered reads; null when there are none. */
  ArrayList<ReadState> readStates;

  /** Target of a leadership transfer in progress, or NONE. */
  long leadTransferee;
  /** Index of the latest membership change the leader proposed; none may be proposed until applied. */
  long pendingConfIndex;
  /** Payload bytes of the leader's uncommitted entries, bounded by maxUncommittedEntriesBytes. */
  long uncommittedSize;
  /** Safe-mode reads waiting for a quorum's acknowledgement; null when none wait (most groups, always). */
  ReadOnly readOnly;
  /** Read requests received before the leader committed an entry of its term. */
  ArrayList<Message> pendingReadIndex; // null when empty

  /** A leadership transfer asked us to campaign while a membership change awaited apply. */
  boolean campaignAfterApply;
  /** Ticks since this replica was created: the clock of the leader lease. */
  long ticks;
  /** The leader's lease in lease-read mode; null otherwise and on non-leaders. */
  LeaderLease lease;
  /**
   * Lease mode: refuse votes until {@code electionElapsed} reaches an election timeout even though
   * no leader is known (after a restart, or after the leader's node was reported down), because a
   * leader may still be serving reads on a lease our last acknowledgement granted.
   */
  boolean leaseGuard;
  int electionElapsed;
  int heartbeatElapsed;
  int randomizedElectionTimeout;

  Raft(RaftConfig cfg, LogStorage storage, SplittableRandom random) {
    this.cfg = cfg.shared();
    this.emptyReplicaVotes = cfg.emptyReplicaVotes();
    this.groupId = cfg.groupId();
    this.id = cfg.nodeId();
    this.random = random;
    this.log = new RaftLog(storage, cfg.maxCommittedSizePerReadyBytes());
    this.trk = new ProgressTracker(cfg.maxInflightMsgs(), cfg.maxInflightBytes());
    LogStorage.InitialState st = storage.initialState();
    trk.restore(st.confState(), log.lastIndex());
    membershipChanged();
    HardState hs = st.hardState();
    if (!hs.isEmpty()) {
      check(hs.commit() <= log.lastIndex(), "stored commit %d beyond the last index %d (first index %d)", hs.commit(), log.lastIndex(), log.committed + 1);
      // A runtime may persist the commit index only with a new term or vote (see
      // RaftGroup#mustPersistHardState), so it may trail the compaction point: everything up to
      // there was applied, hence committed.
      log.committed = Math.max(hs.commit(), log.committed);
      term = hs.term();
      vote = hs.vote();
    }
    if (cfg.appliedIndex() > log.committed && cfg.appliedIndex() <= log.lastIndex()) {
      // Only committed entries are applied, so the state machine's durable applied index proves
      // a commit index the hard state may not have synced yet (commit-only changes skip fsync).
      log.committed = cfg.appliedIndex();
    }
    if (cfg.appliedIndex() > 0) {
      log.appliedTo(Math.min(cfg.appliedIndex(), log.committed));
    }
    Elections.becomeFollower(this, term, NONE);
    // We may have acknowledged a lease-holding leader just before a restart (a replica that never
    // saw a term has acknowledged nobody, so a new group elects at once).
    leaseGuard = leaseMode() && term > 0;
    if (cfg.fastFirstElection()) {
      // Lesson 16: campaign after about one heartbeat instead of a whole election timeout. The
      // jitter window (at least two heartbeats, or a quarter of the timeout when that is longer)
      // keeps replicas, and thousands of groups, from all campaigning in the same tick.
      int window = Math.max(2 * cfg.heartbeatTicks(), cfg.electionTicks() / 4);
      int remaining = cfg.heartbeatTicks() + random.nextInt(window);
      electionElapsed = Math.max(0, randomizedElectionTimeout - remaining);
    }
  }

  // ---------------------------------------------------------------- invariants

  void check(boolean cond, String format, long a, long b, long c) {
    if (!cond) {
      throw new Invariants.InvariantViolation(
          "group " + groupId + " node " + id + " (" + role + " term " + term + "): " + String.format(format, a, b, c));
    }
  }

  void check(boolean cond, String message) {
    if (!cond) {
      throw new Invariants.InvariantViolation(
          "group " + groupId + " node " + id + " (" + role + " term " + term + "): " + message);
    }
  }

  RaftCounters counters() {
    if (counters == null) {
      counters = new RaftCounters();
    }
    return counters;
  }

  HardState hardState() {
    return new HardState(term, vote, log.committed);
  }

  SoftState softState() {
    return new SoftState(lead, role);
  }

  boolean leaseMode() {
    return cfg.readOnlyOption() == ReadOnlyOption.LEASE_BASED;
  }

  boolean promotable() {
    return promotable;
  }

  /**
   * The tracker's membership changed (start, snapshot, conf change): refreshes what derives from it.
   * A tick reads {@link #promotable} from here instead of searching the voter sets: at thousands of
   * awake groups those searches are cache misses on every tick.
   */
  void membershipChanged() {
    isLearner = trk.conf.learners().contains(id);
    promotable = trk.isVoter(id) && trk.get(id) != null && !isLearner;
  }

  // ---------------------------------------------------------------- time

  /** See {@link RaftGroup#leaseClock(long)}: the lease clock only ever moves forward. */
  void leaseClock(long realTicks) {
    if (realTicks > ticks) {
      ticks = realTicks;
    }
  }

  void tick() {
    ticks++;
    if (role == Role.LEADER) {
      Replication.tickHeartbeat(this);
    } else {
      Elections.tickElection(this);
    }
  }

  // ---------------------------------------------------------------- elections (see Elections)

  /** The public campaign: a no-op while leading or while an election is already under way (lesson 13). */
  void campaignRequested() {
    Elections.campaignRequested(this);
  }

  /** The node of our leader is reported down; see {@link Elections#leaderDown}. */
  boolean leaderDown(long peer, int campaignInTicks) {
    return Elections.leaderDown(this, peer, campaignInTicks);
  }

  // ---------------------------------------------------------------- input

  void step(Message m) {
    if (m.to != id) {
      counters().misaddressedMessages++;
      return;
    }
    if (m.term > term) {
      if (m.type == MessageType.VOTE || m.type == MessageType.PRE_VOTE) {
        boolean force = m.context == Message.CAMPAIGN_TRANSFER;
        boolean inLease = cfg.checkQuorum() && (lead != NONE || leaseGuard) && electionElapsed < cfg.electionTicks();
        if (!force && inLease) {
          // We heard from a leader within the election timeout: do not help depose it.
          counters().votesIgnoredInLease++;
          return;
        }
      }
      if (m.type == MessageType.PRE_VOTE) {
        // A pre-vote never changes our term.
      } else if (m.type == MessageType.PRE_VOTE_RESPONSE && !m.reject) {
        // The term in a granted pre-vote is the one we will campaign in; it is not ours yet.
      } else if (m.type == MessageType.APPEND || m.type == MessageType.HEARTBEAT || m.type == MessageType.SNAPSHOT) {
        Elections.becomeFollower(this, m.term, m.from);
      } else {
        Elections.becomeFollower(this, m.term, NONE);
      }
    } else if (m.term < term) {
      if ((cfg.checkQuorum() || cfg.preVote())
          && (m.type == MessageType.APPEND || m.type == MessageType.HEARTBEAT)) {
        // A leader cut off by a partition keeps sending: tell it our term so it steps down, since
        // with PreVote or CheckQuorum we will not raise our term by campaigning against it.
        send(new Message(groupId, MessageType.APPEND_RESPONSE, id, m.from, term, 0, 0, null, 0, false, 0, null, Message.TERM_NOTICE));
      } else if (m.type == MessageType.PRE_VOTE) {
        send(new Message(groupId, MessageType.PRE_VOTE_RESPONSE, id, m.from, term, 0, 0, null, 0, true, 0, null, 0));
      } else {
        counters().staleTermMessages++;
      }
      return;
    }
    if ((m.type == MessageType.VOTE_RESPONSE || m.type == MessageType.PRE_VOTE_RESPONSE) && m.reject) {
      Elections.learnCommit(this, m);
    }
    if (m.type == MessageType.VOTE || m.type == MessageType.PRE_VOTE) {
      Elections.handleVote(this, m);
    } else {
      stepFn.step(this, m);
    }
  }

  void send(Message m) {
    if (m.to == id || m.type == MessageType.APPEND_RESPONSE || m.type == MessageType.VOTE_RESPONSE) {
      msgsAfterPersist.add(m);
    } else {
      msgs.add(m);
    }
  }

  // ---------------------------------------------------------------- proposals

  boolean increaseUncommittedSize(long payload) {
    if (uncommittedSize > 0 && payload > 0 && uncommittedSize + payload > cfg.maxUncommittedEntriesBytes()) {
      counters().uncommittedLimitRejections++;
      return false;
    }
    uncommittedSize += payload;
    return true;
  }

  void reduceUncommittedSize(long payload) {
    uncommittedSize = Math.max(0, uncommittedSize - payload);
  }

  ProposeResult propose(List<byte[]> commands) {
    if (role != Role.LEADER) {
      return ProposeResult.NOT_LEADER;
    }
    if (leadTransferee != NONE) {
      return ProposeResult.TRANSFERRING;
    }
    long payload = 0;
    for (byte[] c : commands) {
      if (c == null) {
        throw new IllegalArgumentException("group " + groupId + ": a proposed command must not be null");
      }
      payload += c.length;
    }
    if (!increaseUncommittedSize(payload)) {
      return ProposeResult.UNCOMMITTED_LIMIT;
    }
    long next = log.lastIndex() + 1;
    List<Entry> entries = new ArrayList<>(commands.size());
    for (byte[] c : commands) {
      entries.add(Entry.normal(term, next++, c));
    }
    Replication.appendEntries(this, entries);
    Replication.bcastAppend(this);
    return ProposeResult.ACCEPTED;
  }

  ProposeResult proposeConfChange(ConfChange cc) {
    return Membership.propose(this, cc);
  }

  ConfState applyConfChange(ConfChange cc) {
    ConfState cs = Membership.apply(this, cc);
    if (role == Role.LEADER) {
      ReadIndexing.votersChanged(this);
    }
    return cs;
  }

  /** The application applied up to {@code index}; leaves an auto-leave joint configuration. */
  void appliedTo(long index) {
    log.appliedTo(index);
    if (campaignAfterApply && role != Role.LEADER && !Elections.hasUnappliedConfChanges(this)) {
      campaignAfterApply = false;
      Elections.hup(this, true);
    }
    if (role == Role.LEADER && trk.conf.autoLeave() && log.applied >= pendingConfIndex) {
      proposeConfChange(ConfChange.leaveJoint());
    }
  }

  // ---------------------------------------------------------------- reads (see ReadIndexing)

  ProposeResult readIndex(long context) {
    return ReadIndexing.request(this, context);
  }

  void addReadState(ReadState rs) {
    if (readStates == null) {
      readStates = new ArrayList<>(2);
    }
    readStates.add(rs);
  }

  // ---------------------------------------------------------------- leadership transfer

  ProposeResult transferLeader(long target) {
    if (role != Role.LEADER) {
      if (lead == NONE) {
        return ProposeResult.NO_LEADER;
      }
      send(new Message(groupId, MessageType.TRANSFER_LEADER, id, lead, term, 0, 0, null, 0, false, 0, null, target));
      return ProposeResult.ACCEPTED;
    }
    Elections.transferLeadership(this, target);
    return ProposeResult.ACCEPTED;
  }

  // ---------------------------------------------------------------- quiescence (see Quiescence)

  /** Whether this leader's group has nothing in flight, so the runtime may stop ticking it. */
  boolean canQuiesce(boolean applyInFlight) {
    return Quiescence.canQuiesce(this, applyInFlight);
  }

  /** Whether this replica, not leading, has nothing to tick for until a message comes. */
  boolean canSleep() {
    return Quiescence.canSleep(this);
  }

  /** The leader's last heartbeat before going idle. */
  void quiesce() {
    Quiescence.quiesce(this);
  }

  /** The group is ticked again after being idle. */
  void wake() {
    Quiescence.wake(this);
  }

  // ---------------------------------------------------------------- link reports (see Replication)

  void reportUnreachable(long peer) {
    Replication.reportUnreachable(this, peer);
  }

  void reportSnapshot(long peer, boolean ok) {
    Replication.reportSnapshot(this, peer, ok);
  }
}
