package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The public face of one group's Raft: requests in, {@link Ready} out. Not thread-safe by design:
 * the runtime pins each group to one worker. Owner loop:
 *
 * <pre>{@code
 * if (group.hasReady()) {
 *   Ready rd = group.ready();
 *   send(rd.messages());
 *   persist(rd);                     // entries, hard state, snapshot; fsync if rd.mustSync()
 *   send(rd.persistedMessages());
 *   apply(rd.committedEntries());
 *   group.advance(rd);
 * }
 * }</pre>
 *
 * <p>To create a group at a known state without an election race (range split), give it a storage
 * whose initial state is that term, index and configuration (see {@link MemoryStorage#at}) and
 * leave {@code fastFirstElection} off on all replicas but the one that should lead, which calls
 * {@link #campaign()} once created.
 */
public final class RaftGroup {
  private final Raft r;
  // Lesson 17: start from the empty hard state, so the first real one is always handed out.
  private HardState prevHard = HardState.EMPTY;
  private long prevLead = Raft.NONE;
  private Role prevRole = Role.FOLLOWER;
  private Ready outstanding;
  private boolean applyPaused;
  /** Quiesced: the message lists a Ready leaves behind start without an array (see {@link #dropIdleBuffers}). */
  private boolean idle;

  public RaftGroup(RaftConfig cfg, LogStorage storage, SplittableRandom random) {
    this.r = new Raft(cfg, storage, random);
  }

  // ---------------------------------------------------------------- input

  /**
   * Advances time by one tick. Returns whether the tick may have produced a Ready (messages, a new
   * term, role or leader, entries): most ticks of most groups produce nothing, and the runtime then
   * need not look at the group again this cycle.
   */
  public boolean tick() {
    int pending = pendingOutput();
    long term = r.term;
    long lead = r.lead;
    long vote = r.vote;
    Role role = r.role;
    long committed = r.log.committed;
    r.tick();
    return pending != pendingOutput() || term != r.term || lead != r.lead || vote != r.vote || role != r.role
        || committed != r.log.committed || r.readStates != null;
  }

  /**
   * Messages and unstable entries waiting for the next Ready. Between two Readies, a tick or an
   * applied report only adds to them, so an unchanged sum means nothing was added.
   */
  private int pendingOutput() {
    return r.msgs.size() + r.msgsAfterPersist.size() + r.log.unstable.entries.size();
  }

  /** Feeds a message from a peer. Bad input is counted in {@link #counters()}, never thrown. */
  public void step(Message m) {
    if (m.groupId != r.groupId) {
      r.counters().misaddressedMessages++;
      return;
    }
    if (m.from == r.id) {
      r.counters().malformedMessages++; // only advance() delivers our own messages
      return;
    }
    r.step(m);
  }

  /**
   * Whether {@code s} is the snapshot this group took to restore from, waiting for its Ready: a
   * received snapshot it is not was ignored (stale, already covered by the log, or from a
   * configuration without us), and its data can be released.
   */
  public boolean restoring(Snapshot s) {
    return s != null && r.log.unstable.snapshot == s;
  }

  /** The received snapshot this group took to restore from and has not persisted yet, or null. */
  public Snapshot pendingSnapshot() {
    return r.log.unstable.snapshot;
  }

  public ProposeResult propose(byte[] command) {
    return r.propose(List.of(command));
  }

  /** Proposes several commands as one append (one message per follower, one log write). */
  public ProposeResult propose(List<byte[]> commands) {
    return r.propose(commands);
  }

  public ProposeResult proposeConfChange(ConfChange cc) {
    return r.proposeConfChange(cc);
  }

  /** Applies a committed membership change; call while applying its entry. Returns the new membership. */
  public ConfState applyConfChange(ConfChange cc) {
    return r.applyConfChange(cc);
  }

  /** Decodes and applies a committed CONF_CHANGE entry; a malformed one is counted and ignored. */
  public ConfState applyConfChange(Entry e) {
    ConfChange cc;
    try {
      cc = ConfChangeCodec.decode(e.data());
    } catch (ConfChangeCodec.MalformedConfChangeException ex) {
      r.counters().malformedConfChanges++;
      r.counters().lastConfChangeError = "entry " + e.index() + ": " + ex.getMessage();
      return r.trk.conf;
    }
    return r.applyConfChange(cc);
  }

  /** Starts an election now. A no-op while leading or already campaigning (lesson 13). */
  public void campaign() {
    r.campaignRequested();
  }

  /** Asks for a linearizable read point; the answer arrives as a {@link ReadState} with this context. */
  public ProposeResult readIndex(long context) {
    return r.readIndex(context);
  }

  public ProposeResult transferLeader(long target) {
    return r.transferLeader(target);
  }

  /** The link to {@code peer} failed: stop streaming optimistically to it. */
  public void reportUnreachable(long peer) {
    r.reportUnreachable(peer);
  }

  /**
   * The node of this follower's leader is reported down: forget that leader (grant pre-votes at
   * once) and campaign after {@code campaignInTicks} ticks. A no-op unless {@code peer} leads us.
   */
  public boolean leaderDown(long peer, int campaignInTicks) {
    return r.leaderDown(peer, campaignInTicks);
  }

  /** The transport finished sending a snapshot to {@code peer} (lesson 8). */
  public void reportSnapshot(long peer, boolean ok) {
    r.reportSnapshot(peer, ok);
  }

  /**
   * While paused, Readies carry no committed entries: the apply stage is backed up, and Raft goes
   * on persisting, acknowledging and committing without piling more work onto it.
   */
  public void pauseApply(boolean paused) {
    applyPaused = paused;
  }

  /**
   * The state machine applied up to {@code index} (with asynchronous apply). Returns whether that
   * produced output (a campaign held back until the apply, the leave of a joint configuration):
   * usually it did not, and the runtime need not look at the group again.
   */
  public boolean reportApplied(long index) {
    int pending = pendingOutput();
    long term = r.term;
    Role role = r.role;
    r.appliedTo(index);
    return pending != pendingOutput() || term != r.term || role != r.role || r.readStates != null;
  }

  /**
   * The tick intervals that really passed, by the runtime's clock. The leader lease is measured in
   * ticks, and a runtime that falls behind (a pause, a slow cycle, an overloaded machine) ticks once
   * for the intervals it missed: without this a lease would outlive the followers' promise not to
   * elect another leader, and a read answered on it could be stale (lease simulation seed 20558).
   * Call it before a read is decided; a value below the group's own count changes nothing.
   */
  public void leaseClock(long realTicks) {
    r.leaseClock(realTicks);
  }

  /** See {@link Raft#canQuiesce(boolean)}; also false while a Ready is outstanding or unhandled. */
  public boolean canQuiesce() {
    return outstanding == null && !hasReady() && r.canQuiesce(false);
  }

  /**
   * As {@link #canQuiesce()}, but committed entries handed out and not yet reported applied do not
   * keep the group awake: it may go idle in the same cycle its last write committed.
   */
  public boolean canQuiesceBeforeApplied() {
    return outstanding == null && !hasReady() && r.canQuiesce(true);
  }

  /**
   * Whether this replica, not leading, may stop ticking until a message wakes it: it may not
   * campaign, knows no leader, and refuses no votes for a lease it may have granted.
   */
  public boolean canSleep() {
    return r.canSleep();
  }

  /** Sends the final heartbeat before the runtime stops ticking this (leader's) group. */
  public void quiesce() {
    r.quiesce();
  }

  /** The runtime resumes ticking this group. */
  public void wake() {
    idle = false;
    r.wake();
  }

  // ---------------------------------------------------------------- output

  public boolean hasReady() {
    if (outstanding != null) {
      return false;
    }
    RaftLog log = r.log;
    return r.lead != prevLead
        || r.role != prevRole
        || r.term != prevHard.term()
        || r.vote != prevHard.vote()
        || log.committed != prevHard.commit()
        || log.unstable.snapshot != null
        || !log.unstable.entries.isEmpty()
        || !r.msgs.isEmpty()
        || !r.msgsAfterPersist.isEmpty()
        || r.readStates != null
        || (!applyPaused && log.hasNextCommittedEntries());
  }

  public Ready ready() {
    Invariants.check(outstanding == null, "group %d: ready() called before advance() of the previous Ready", r.groupId);
    RaftLog log = r.log;
    SoftState soft = null;
    if (r.lead != prevLead || r.role != prevRole) {
      soft = r.softState();
      prevLead = r.lead;
      prevRole = r.role;
    }
    HardState hard = null;
    if (r.term != prevHard.term() || r.vote != prevHard.vote() || log.committed != prevHard.commit()) {
      hard = r.hardState();
    }
    List<Entry> entries = log.unstableEntries();
    Snapshot snapshot = log.unstable.snapshot;
    List<Entry> committed = !applyPaused && log.hasNextCommittedEntries()
        ? log.nextCommittedEntries(r.cfg.maxCommittedSizePerReadyBytes())
        : List.of();
    if (!committed.isEmpty()) {
      log.acceptApplying(committed.get(committed.size() - 1).index());
      if (r.role == Role.LEADER) {
        r.reduceUncommittedSize(Entry.payloadBytes(committed));
      }
    }
    List<Message> messages = takeMessages();
    List<Message> persisted = List.of();
    List<Message> self = List.of();
    if (!r.msgsAfterPersist.isEmpty()) {
      persisted = r.msgsAfterPersist;
      r.msgsAfterPersist = freshMessageList();
      for (int i = persisted.size() - 1; i >= 0; i--) {
        if (persisted.get(i).to == r.id) {
          if (self.isEmpty()) {
            self = new ArrayList<>(2);
          }
          self.add(0, persisted.remove(i));
        }
      }
    }
    List<ReadState> readStates = List.of();
    if (r.readStates != null) {
      readStates = r.readStates;
      r.readStates = null;
    }
    boolean mustSync = !entries.isEmpty() || snapshot != null || (hard != null && prevHard.mustSyncFor(hard));
    outstanding = new Ready(r.groupId, soft, hard, entries, snapshot, committed, messages, persisted, readStates, mustSync, self);
    return outstanding;
  }

  /**
   * While a Ready's write is still in flight: the messages Raft produced since that may go at
   * once, as a Ready's {@link Ready#messages()} do (heartbeats and their responses, a leader's
   * appends, vote requests). Those that promise something durable (append and vote responses) stay
   * for the next Ready, after its write. Without this a slow sync silences the group: a leader whose
   * write takes longer than an election timeout sends no heartbeat, and its followers elect.
   */
  public List<Message> takeMessages() {
    if (r.msgs.isEmpty()) {
      return List.of();
    }
    List<Message> messages = r.msgs;
    r.msgs = freshMessageList();
    return messages;
  }

  /**
   * The list a Ready leaves in place of the one it took. A quiesced group's last Ready (the final
   * heartbeat, or its acknowledgement) comes after {@link #dropIdleBuffers}: sized lists would
   * then stay allocated for as long as the group sleeps.
   */
  private ArrayList<Message> freshMessageList() {
    return idle ? new ArrayList<>() : new ArrayList<>(Raft.MSGS_CAPACITY);
  }

  /** Everything in {@code rd} was persisted, sent and applied. */
  public void advance(Ready rd) {
    advancePersisted(rd);
    if (!rd.committedEntries().isEmpty()) {
      r.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
    }
  }

  /**
   * Everything in {@code rd} was persisted and sent; its committed entries were handed to an
   * asynchronous applier that reports progress with {@link #reportApplied(long)}.
   */
  public void advancePersisted(Ready rd) {
    Invariants.check(rd == outstanding, "group %d: advance() of a Ready that is not outstanding", r.groupId);
    outstanding = null;
    if (rd.hardState() != null) {
      prevHard = rd.hardState();
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      r.log.stableTo(last.index(), last.term());
    }
    if (rd.snapshot() != null) {
      r.log.stableSnapTo(rd.snapshot().index());
      r.log.appliedTo(rd.snapshot().index()); // the state machine was restored from it
    }
    List<Message> self = rd.selfMessages();
    for (int i = 0; i < self.size(); i++) { // indexed: an iterator per Ready is garbage the JIT did not remove
      r.step(self.get(i));
    }
  }

  /**
   * Whether the outstanding Ready's hard state must be persisted. A new term or vote must (a
   * replica must never vote twice in a term, nor forget a term it saw); a commit index that alone
   * moved need not: it is recomputed from the leader after a restart (Raft §5.3 keeps it volatile),
   * and skipping it saves a log store write per Ready. A snapshot's is kept with the snapshot.
   */
  public boolean mustPersistHardState(Ready rd) {
    Invariants.check(rd == outstanding, "group %d: mustPersistHardState() of a Ready that is not outstanding", r.groupId);
    return rd.hardState() != null && (rd.snapshot() != null || prevHard.mustSyncFor(rd.hardState())
        || commitsMembershipChange(rd.committedEntries()));
  }

  /**
   * Whether these newly committed entries hold a membership change. A commit index that passes
   * one is persisted, though commit-only changes usually are not (a restart learns them again
   * from the leader): a removed leader that restarts without knowing its removal committed cannot
   * tell the remaining voters, who still count on its vote; it refuses them (it holds entries they
   * lack) and cannot campaign itself, and the group never elects again (simulation seed 2503).
   */
  public static boolean commitsMembershipChange(List<Entry> committed) {
    for (int i = 0; i < committed.size(); i++) {
      if (committed.get(i).type() == EntryType.CONF_CHANGE) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- status

  public long groupId() {
    return r.groupId;
  }

  public long nodeId() {
    return r.id;
  }

  /**
   * The group goes idle (until {@link #wake}): its empty message lists give their arrays back, and
   * so do the lists its next Readies leave behind (an idle group keeps no buffers).
   */
  public void dropIdleBuffers() {
    idle = true;
    if (r.msgs.isEmpty()) {
      r.msgs = new ArrayList<>();
    }
    if (r.msgsAfterPersist.isEmpty()) {
      r.msgsAfterPersist = new ArrayList<>();
    }
  }

  /** Whether this replica may campaign: a voter in the configuration it knows (not empty, not a learner). */
  public boolean promotable() {
    return r.promotable();
  }

  public long leader() {
    return r.lead;
  }

  public Role role() {
    return r.role;
  }

  public long term() {
    return r.term;
  }

  public long commitIndex() {
    return r.log.committed;
  }

  public long appliedIndex() {
    return r.log.applied;
  }

  public long lastIndex() {
    return r.log.lastIndex();
  }

  /** The term of the entry at {@link #lastIndex()}. */
  public long lastTerm() {
    return r.log.lastTerm();
  }

  public ConfState confState() {
    return r.trk.conf;
  }

  public RaftCounters counters() {
    return r.counters();
  }

  public GroupStatus status() {
    TreeMap<Long, GroupStatus.PeerProgress> prs = new TreeMap<>();
    if (r.role == Role.LEADER) {
      for (var e : r.trk.all().entrySet()) {
        Progress p = e.getValue();
        prs.put(e.getKey(), new GroupStatus.PeerProgress(p.match, p.next, p.state, p.recentActive,
            p.inflightCount(), p.isPaused(), p.isLearner));
      }
    }
    return new GroupStatus(r.groupId, r.id, r.role, r.term, r.vote, r.lead, r.log.committed, r.log.applied,
        r.log.lastIndex(), r.trk.conf, r.leadTransferee, prs);
  }

  /** Test and simulator access to the state machine itself. */
  Raft raft() {
    return r;
  }
}
