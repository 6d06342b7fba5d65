package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

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
    isLearner = trk.conf.learners().contains(id);
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
    return trk.isVoter(id) && trk.get(id) != null && !isLearner;
  }

  // ---------------------------------------------------------------- time

  void tick() {
    ticks++;
    if (role == Role.LEADER) {
      tickHeartbeat();
    } else {
      Elections.tickElection(this);
    }
  }

  private void tickHeartbeat() {
    heartbeatElapsed++;
    electionElapsed++;
    if (electionElapsed >= cfg.electionTicks()) {
      electionElapsed = 0;
      if (cfg.checkQuorum() && !trk.quorumActive()) {
        counters().checkQuorumStepDowns++;
        Elections.becomeFollower(this, term, NONE);
        return;
      }
      for (int i = 0; i < trk.size(); i++) {
        if (trk.idAt(i) != id) {
          Progress pr = trk.at(i);
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
      if (leadTransferee != NONE) {
        leadTransferee = NONE; // the transfer did not finish within an election timeout
        if (lease != null) {
          lease.drop(); // rounds sent during the transfer were not protected by stickiness
        }
      }
    }
    if (heartbeatElapsed >= cfg.heartbeatTicks()) {
      heartbeatElapsed = 0;
      // In lease mode every heartbeat is a numbered round whose acknowledgements renew the lease.
      periodicHeartbeat(lease != null ? LeaderLease.context(lease.startRound(ticks, msgs, id)) : readOnly == null ? 0 : readOnly.lastPendingContext());
    }
    if (leadTransferee == NONE && !trk.isVoter(id) && cfg.stepDownOnRemoval()) {
      Membership.handOver(this); // the previous attempt timed out: try again
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
        send(new Message(groupId, MessageType.APPEND_RESPONSE, id, m.from, term, 0, 0, null, 0, false, 0, null, 0));
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

  // ---------------------------------------------------------------- leader side of replication

  void appendEntries(List<Entry> entries) {
    log.append(entries);
    // Our own acknowledgement, delivered after our write is durable.
    sendAppendResponseToSelf(log.lastIndex());
  }

  private void sendAppendResponseToSelf(long index) {
    msgsAfterPersist.add(new Message(groupId, MessageType.APPEND_RESPONSE, id, id, term, 0, index, null, 0, false, 0, null, 0));
  }

  boolean maybeCommit() {
    long mci = trk.committed();
    if (mci == Long.MAX_VALUE || mci <= log.committed) {
      return false;
    }
    // §5.4.2: only entries of the current term are committed by counting replicas.
    if (log.termOrZero(mci) != term) {
      return false;
    }
    log.commitTo(mci);
    return true;
  }

  void bcastAppend() {
    for (int i = 0; i < trk.size(); i++) {
      long to = trk.idAt(i);
      if (to != id) {
        sendAppend(to);
      }
    }
  }

  void bcastHeartbeat(long context) {
    for (int i = 0; i < trk.size(); i++) {
      long to = trk.idAt(i);
      if (to != id) {
        sendHeartbeat(to, trk.at(i), context);
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
  private void periodicHeartbeat(long context) {
    boolean skipBusy = cfg.heartbeatIdleFollowersOnly() && context == 0;
    for (int i = 0; i < trk.size(); i++) {
      long to = trk.idAt(i);
      Progress pr = trk.at(i);
      if (to != id && !(skipBusy && (pr.appendedSinceHeartbeat || awaitingRecentAppend(pr)))) {
        sendHeartbeat(to, pr, context);
      }
      pr.appendedSinceHeartbeat = false;
    }
  }

  private boolean awaitingRecentAppend(Progress pr) {
    return pr.state == ProgressState.REPLICATE && (pr.inflightCount() > 0 || pr.match == log.lastIndex())
        && (int) ticks - pr.lastAppendTick < Math.max(1, cfg.electionTicks() / 2);
  }

  private void sendHeartbeat(long to, Progress pr, long context) {
    long commit = Math.min(pr.match, log.committed);
    send(new Message(groupId, MessageType.HEARTBEAT, id, to, term, 0, 0, null, commit, false, 0, null, context));
  }

  void sendAppend(long to) {
    maybeSendAppend(to, true);
  }

  /** Sends entries (or, if {@code sendIfEmpty}, an empty append) unless the follower is paused. */
  boolean maybeSendAppend(long to, boolean sendIfEmpty) {
    Progress pr = trk.get(to);
    if (pr == null || pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next - 1;
    long prevTerm;
    List<Entry> ents;
    try {
      prevTerm = log.term(prevIndex);
      ents = log.entries(pr.next, cfg.maxSizePerMsgBytes());
    } catch (StorageException.Compacted e) {
      // Lesson 5: the log was compacted under us; the follower needs a snapshot.
      counters().compactedDuringSend++;
      return maybeSendSnapshot(to, pr);
    } catch (StorageException.Unavailable e) {
      counters().compactedDuringSend++;
      return false;
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    long bytes = Entry.sizeBytes(ents);
    send(new Message(groupId, MessageType.APPEND, id, to, term, prevTerm, prevIndex, ents, log.committed, false, 0, null, 0));
    pr.sentEntries(ents.size(), bytes, prevIndex + ents.size());
    pr.appendedSinceHeartbeat = true;
    pr.lastAppendTick = (int) ticks;
    return true;
  }

  private boolean maybeSendSnapshot(long to, Progress pr) {
    if (!pr.recentActive) {
      counters().snapshotsSkippedInactive++;
      return false;
    }
    Snapshot s;
    try {
      s = log.snapshot();
    } catch (StorageException.SnapshotTemporarilyUnavailable e) {
      counters().snapshotsTemporarilyUnavailable++; // retried on a later heartbeat response
      return false;
    } catch (RuntimeException e) {
      // Lesson 10: a snapshot that cannot be produced aborts this send, not the group.
      counters().snapshotsFailed++;
      counters().lastSnapshotError = String.valueOf(e);
      return false;
    }
    if (s.isEmpty()) {
      counters().snapshotsFailed++;
      counters().lastSnapshotError = "storage returned an empty snapshot";
      return false;
    }
    pr.becomeSnapshot(s.index());
    send(new Message(groupId, MessageType.SNAPSHOT, id, to, term, 0, 0, null, 0, false, 0, s, 0));
    return true;
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
    appendEntries(entries);
    bcastAppend();
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

  // ---------------------------------------------------------------- quiescence

  /**
   * Whether this leader's group has nothing in flight: every follower holds the whole log, all of
   * it is committed and applied, and no read, transfer or membership change is pending. The
   * runtime then stops ticking the group (an idle group costs no CPU and no messages).
   */
  boolean canQuiesce() {
    if (role != Role.LEADER || leadTransferee != NONE || (readOnly != null && readOnly.size() > 0) || pendingReadIndex != null
        || (lease != null && lease.pendingCount() > 0)
        || trk.isJoint() || !msgs.isEmpty() || !msgsAfterPersist.isEmpty()) {
      return false;
    }
    long last = log.lastIndex();
    if (log.committed != last || log.applied != last || log.unstable.maybeLastIndex() >= 0) {
      return false;
    }
    for (int i = 0; i < trk.size(); i++) {
      Progress pr = trk.at(i);
      // A follower probed after a lost link may hold the whole log (match was acknowledged) while
      // there is nothing to append that would move it back to REPLICATE: it is caught up, and
      // waiting for that move would keep the group ticking and heartbeating for ever.
      if (trk.idAt(i) != id && (pr.match != last || pr.state == ProgressState.SNAPSHOT || pr.inflightCount() > 0)) {
        return false;
      }
    }
    return true;
  }

  /** The leader's last heartbeat before going idle; it carries the commit index, so followers are current. */
  void quiesce() {
    if (lease != null) {
      lease.drop(); // our tick count stops while idle: it cannot measure the lease any more
    }
    if (role == Role.LEADER) {
      bcastHeartbeat(Message.QUIESCE);
      for (int i = 0; i < trk.size(); i++) {
        trk.at(i).releaseInflights(); // an idle group keeps no window
      }
      if (readOnly != null && readOnly.size() == 0) {
        readOnly = null; // nor a read queue
      }
    }
  }

  /**
   * The group is ticked again after being idle. Its timers restart, and a leader counts every
   * follower as active: they were silent because the group was idle, not because they are gone.
   */
  void wake() {
    electionElapsed = 0;
    heartbeatElapsed = 0;
    if (lease != null) {
      lease.drop(); // idle time was not counted; followers may have elected someone else meanwhile
    }
    if (role == Role.LEADER) {
      for (int i = 0; i < trk.size(); i++) {
        trk.at(i).recentActive = true;
      }
    }
  }

  // ---------------------------------------------------------------- link reports

  void reportUnreachable(long peer) {
    Progress pr = trk.get(peer);
    if (role == Role.LEADER && pr != null && pr.state == ProgressState.REPLICATE) {
      pr.becomeProbe(); // optimistic appends are probably lost; probe again
    }
  }


  void reportSnapshot(long peer, boolean ok) {
    Progress pr = trk.get(peer);
    if (role != Role.LEADER || pr == null || pr.state != ProgressState.SNAPSHOT) {
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
