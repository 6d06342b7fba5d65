package io.multiraft.node;

import io.multiraft.core.ConfState;
import io.multiraft.core.LogStorage;
import io.multiraft.core.Message;
import io.multiraft.core.ProposeResult;
import io.multiraft.core.RaftGroup;
import io.multiraft.core.ReadState;
import io.multiraft.core.Ready;
import io.multiraft.core.Role;
import io.multiraft.core.Snapshot;
import io.multiraft.spi.LogStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.agrona.collections.Long2ObjectHashMap;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * A raft worker: owns a share of the node's groups and runs their Raft on one thread, without
 * locks. Its duty cycle: drain requests and messages, tick the groups that are not quiesced,
 * propose each group's requests of the cycle as one append, collect the Readies of the groups
 * touched, write all their log changes as one batch (one sync, asynchronously), send messages
 * grouped per destination node, and hand committed entries to the apply stage. The parts with a
 * job of their own are its collaborators, all confined to its thread: {@link ActiveGroups} (ticks
 * and quiescence), {@link CycleProposals} (one append per group and cycle), {@link PersistBatch}
 * (the log writes), {@link MessageDelivery} (inbound messages and node losses), {@link Outbox} (the
 * sends), {@link ApplyHandOff} (the apply stage) and {@link Removals} (group removal).
 */
final class Worker implements DutyCycle {
  private static final int MAX_COMMANDS_PER_CYCLE = 8192;

  final int index;
  private final MultiRaftNode node;
  private final NodeConfig cfg;
  /**
   * How long a group whose write is in flight still sends heartbeats and their responses: four
   * election timeouts (2 s by default). A leader tolerates a write that slow, plus its followers'
   * own timeout, before leadership moves to a replica whose disk answers. Shorter, and a disk that
   * is merely slow for a moment (all replicas' disks are, on a loaded machine) moves leaders to
   * no gain; much longer, and a stuck disk keeps its groups unavailable that much longer.
   */
  private final long stalledWriteNs;
  /** Where this worker's count of real tick intervals starts (see {@link #syncLeaseClock}). */
  private final long clockBaseNs;
  private final NodeCounters counters;
  private final CycleCounts cycleCounts = new CycleCounts();
  private final MpscArrayQueue<Command> inbound;
  private final MpscUnboundedArrayQueue<Command> internal = new MpscUnboundedArrayQueue<>(1024);
  private final Long2ObjectHashMap<Replica> replicas = new Long2ObjectHashMap<>();
  private final ActiveGroups active;
  private final ArrayList<Replica> touched = new ArrayList<>();
  private final CycleProposals cycleProposals;
  private final MessageDelivery delivery;
  private final Outbox outbox;
  private final RequestDeadlines deadlines;
  private final EarlyMessages early;
  private final SplittableRandom random;

  private final PersistBatch batches;
  private final ApplyHandOff applies;
  private final Removals removals;

  private long nextTickNs = Long.MIN_VALUE;
  private long readSeq;
  volatile int activeCount;
  volatile int groupCount;
  /** Groups this worker's replicas lead, as of their last Ready. */
  volatile int leaderCount;
  DutyCycleThread thread;

  Worker(int index, MultiRaftNode node, SplittableRandom random) {
    this.index = index;
    this.node = node;
    this.cfg = node.config();
    this.stalledWriteNs = 4L * cfg.electionTicks() * cfg.tickIntervalNs();
    this.clockBaseNs = node.clock().nanoTime();
    this.counters = node.counters();
    this.inbound = new MpscArrayQueue<>(cfg.inboundQueueCapacity());
    this.random = random;
    this.deadlines = new RequestDeadlines(cfg.requestTimeoutNs());
    this.early = new EarlyMessages(cfg.electionTicks() * cfg.tickIntervalNs());
    this.active = new ActiveGroups(this, counters, cfg.tickIntervalNs());
    this.cycleProposals = new CycleProposals(this, active, deadlines, counters);
    this.outbox = new Outbox(node, counters, cycleCounts);
    this.batches = new PersistBatch(node, this, counters);
    this.applies = new ApplyHandOff(batches::batch, this::touch);
    this.removals = new Removals(applies);
    this.delivery = new MessageDelivery(this, cfg, node.clock(), replicas, active, early, counters, cycleCounts);
  }

  @Override
  public String name() {
    return "raft-worker-" + cfg.nodeId() + "-" + index;
  }

  // ---------------------------------------------------------------- producers (any thread)

  boolean offer(Command c) {
    if (!inbound.offer(c)) {
      return false;
    }
    wake();
    return true;
  }

  void postInternal(Command c) {
    internal.offer(c);
    wake();
  }

  void postApplied(Replica[] replicas, long[] indexes, int count) {
    postInternal(new Command.Applied(replicas, indexes, count));
  }

  private void wake() {
    DutyCycleThread th = thread;
    if (th != null) {
      th.wake();
    }
  }

  // ---------------------------------------------------------------- the duty cycle

  @Override
  public long idleParkNs(long nowNs) {
    long park = active.isEmpty() ? Long.MAX_VALUE : nextTickNs - nowNs;
    return Math.min(park, deadlines.nextNs(nowNs));
  }

  @Override
  public int doWork(long nowNs) {
    if (node.failure() != null) {
      return refuseAll();
    }
    try {
      return cycle(nowNs);
    } catch (LogStoreException e) {
      // The log can no longer be trusted (I/O error, corrupt entry): stop serving, never guess.
      node.fail(e);
      return 1;
    }
  }

  /** After a log failure: every request is refused with the cause; Raft does nothing more. */
  private int refuseAll() {
    int n = 0;
    Command c;
    while ((c = inbound.poll()) != null) {
      failExternal(c, node.failureException());
      n++;
    }
    while (internal.poll() != null) {
      n++;
    }
    return n;
  }

  private int cycle(long nowNs) {
    active.cycleStarts(nowNs);
    int work = drainInternal();
    work += drainInbound();
    work += delivery.applyUnreachable();
    if (nowNs >= nextTickNs) {
      work += active.tick();
      nextTickNs = nextTickNs == Long.MIN_VALUE || nowNs - nextTickNs > cfg.tickIntervalNs()
          ? nowNs + cfg.tickIntervalNs()
          : nextTickNs + cfg.tickIntervalNs();
    }
    work += cycleProposals.proposeAll(nowNs);
    work += applies.drainBacklogs();
    work += collectReadies(nowNs);
    work += outbox.flush();
    work += deadlines.expire(nowNs, counters);
    if (work > 0) {
      counters.dutyCycles.increment();
      cycleCounts.flushTo(counters);
    }
    activeCount = active.size();
    return work;
  }

  private int drainInternal() {
    int n = 0;
    Command c;
    while ((c = internal.poll()) != null) {
      handle(c);
      n++;
    }
    return n;
  }

  private int drainInbound() {
    int n = 0;
    Command c;
    while (n < MAX_COMMANDS_PER_CYCLE && (c = inbound.poll()) != null) {
      if (node.failure() != null) {
        failExternal(c, node.failureException());
      } else {
        handle(c);
      }
      n++;
    }
    return n;
  }

  private void handle(Command c) {
    if (c instanceof Command.Deliver d) {
      delivery.deliver(d);
    } else if (c instanceof Command.Propose p) {
      propose(p);
    } else if (c instanceof Command.Persisted p) {
      persisted(p);
    } else if (c instanceof Command.Applied a) {
      applied(a);
    } else if (c instanceof Command.Restored rs) {
      if (!rs.replica().removed) {
        batches.persist(rs.replica(), rs.ready());
      }
    } else if (c instanceof Command.GroupRemoved gr) {
      groupRemoved(gr.replica());
    } else if (c instanceof Command.Read rd) {
      read(rd);
    } else if (c instanceof Command.ChangeMembership cm) {
      changeMembership(cm);
    } else if (c instanceof Command.TransferLeader t) {
      Replica r = require(t.groupId(), t.future());
      if (r != null) {
        active.wakeIfQuiesced(r);
        ProposeResult res = r.group.transferLeader(t.target());
        touch(r);
        complete(r, res, t.future());
      }
    } else if (c instanceof Command.Campaign cp) {
      Replica r = require(cp.groupId(), cp.future());
      if (r != null) {
        active.wakeIfQuiesced(r);
        r.group.campaign();
        touch(r);
        cp.future().complete(null);
      }
    } else if (c instanceof Command.Create cr) {
      create(cr);
    } else if (c instanceof Command.Remove rm) {
      remove(rm);
    } else if (c instanceof Command.Status st) {
      Replica r = replicas.get(st.groupId());
      if (r == null || r.group == null) {
        st.future().completeExceptionally(new RaftException.GroupNotFound(st.groupId()));
      } else {
        st.future().complete(r.group.status());
      }
    } else if (c instanceof Command.NodeUnreachable u) {
      delivery.reportUnreachable(u.node());
    } else if (c instanceof Command.SnapshotStatus s) {
      node.releaseSnapshotSend();
      Replica r = replicas.get(s.groupId());
      if (r != null && r.group != null) {
        r.group.reportSnapshot(s.toNode(), s.ok());
        touch(r);
      }
    } else {
      throw new IllegalStateException("unknown command " + c);
    }
  }

  private void failExternal(Command c, RaftException e) {
    if (c instanceof Command.Deliver d) {
      SnapshotRelease.unhandled(d.messages()); // the log failed or the node closes: nothing will restore them
    } else if (c instanceof Command.Propose p) {
      p.future().completeExceptionally(e);
    } else if (c instanceof Command.Read r) {
      r.future().completeExceptionally(e);
    } else if (c instanceof Command.ChangeMembership m) {
      m.future().completeExceptionally(e);
    } else if (c instanceof Command.TransferLeader t) {
      t.future().completeExceptionally(e);
    } else if (c instanceof Command.Create cr) {
      cr.future().completeExceptionally(e);
    } else if (c instanceof Command.Remove rm) {
      rm.future().completeExceptionally(e);
    } else if (c instanceof Command.Status st) {
      st.future().completeExceptionally(e);
    } else if (c instanceof Command.Campaign cp) {
      cp.future().completeExceptionally(e);
    }
  }

  // ---------------------------------------------------------------- requests

  private Replica require(long groupId, CompletableFuture<?> f) {
    Replica r = replicas.get(groupId);
    if (r == null || r.group == null || r.removed) {
      f.completeExceptionally(new RaftException.GroupNotFound(groupId));
      return null;
    }
    return r;
  }

  private void propose(Command.Propose p) {
    Replica r = require(p.groupId(), p.future());
    if (r != null) {
      cycleProposals.add(r, p);
    }
  }

  static RaftException refusal(Replica r, ProposeResult res) {
    return switch (res) {
      case NOT_LEADER, NO_LEADER -> new RaftException.NotLeader(r.groupId, r.group.leader());
      case UNCOMMITTED_LIMIT -> new RaftException.Overloaded("group " + r.groupId + "'s uncommitted log");
      case TRANSFERRING -> new RaftException.Dropped(r.groupId, "leadership transfer in progress");
      case CONF_CHANGE_PENDING -> new RaftException.Dropped(r.groupId, "a membership change is already in progress");
      case WOULD_LOSE_QUORUM -> new RaftException.Dropped(r.groupId, "the change would leave fewer live voters than a quorum");
      case INVALID_CONF_CHANGE -> new RaftException.Dropped(r.groupId, "invalid membership change: " + r.group.counters().lastConfChangeError);
      default -> new RaftException.Dropped(r.groupId, res.toString());
    };
  }

  private void complete(Replica r, ProposeResult res, CompletableFuture<Object> f) {
    if (res == ProposeResult.ACCEPTED) {
      f.complete(null);
    } else {
      f.completeExceptionally(refusal(r, res));
    }
  }

  /**
   * Brings the group's lease clock to the intervals that really passed, read now, not at the start
   * of the cycle: a pause before this point (GC, a long cycle) must count against the lease.
   */
  void syncLeaseClock(Replica r) {
    r.group.leaseClock((node.clock().nanoTime() - clockBaseNs) / cfg.tickIntervalNs());
  }

  private void read(Command.Read rd) {
    Replica r = require(rd.groupId(), rd.future());
    if (r == null) {
      return;
    }
    active.wakeIfQuiesced(r);
    syncLeaseClock(r);
    long ctx = ++readSeq;
    io.multiraft.core.RaftCounters rc = r.group.counters();
    long leaseReads = rc.leaseReads;
    long confirms = rc.readConfirmHeartbeats;
    ProposeResult res = r.group.readIndex(ctx);
    counters.leaseReads.add(rc.leaseReads - leaseReads);
    counters.readConfirmHeartbeats.add(rc.readConfirmHeartbeats - confirms);
    if (res != ProposeResult.ACCEPTED) {
      rd.future().completeExceptionally(refusal(r, res));
      return;
    }
    if (r.reads == null) {
      r.reads = new ArrayList<>(2);
    }
    r.reads.add(new Replica.PendingRead(ctx, rd.query(), rd.future()));
    deadlines.add(node.clock().nanoTime(), r, rd.future());
    touch(r);
  }

  private void changeMembership(Command.ChangeMembership cm) {
    Replica r = require(cm.groupId(), cm.future());
    if (r == null) {
      return;
    }
    active.wakeIfQuiesced(r);
    ProposeResult res = r.group.proposeConfChange(cm.change());
    if (res != ProposeResult.ACCEPTED) {
      cm.future().completeExceptionally(refusal(r, res));
      return;
    }
    if (r.proposals == null) {
      r.proposals = new java.util.PriorityQueue<>();
    }
    r.proposals.add(new Replica.PendingProposal(r.group.lastIndex(), r.group.term(), cm.future()));
    deadlines.add(node.clock().nanoTime(), r, cm.future());
    touch(r);
  }

  // ---------------------------------------------------------------- group lifecycle

  private void create(Command.Create c) {
    if (replicas.containsKey(c.groupId())) {
      c.future().completeExceptionally(new RaftException.GroupExists(c.groupId()));
      return;
    }
    if (removals.deferCreate(c)) {
      return; // the old log is not deleted yet: deleting it later would delete the new group's
    }
    Replica r = new Replica(c.groupId(), node, this, node.applierFor(c.groupId()));
    replicas.put(c.groupId(), r);
    groupCount = replicas.size();
    batches.create(c, r);
  }

  /**
   * Starts the Raft of a group whose state is durable in the log store (created, or recovered at
   * start-up, when the state machine may be ahead of what the log proves).
   */
  void instantiate(Replica r, boolean recovered) {
    LogStorage log = node.store().storage(r.groupId);
    r.storage = new GroupStorage(log, r);
    r.sm = node.stateMachines().create(r.groupId);
    long smApplied = r.sm.lastApplied();
    long applied = RestartPoint.applied(log, r.sm);
    long appliedTerm = RestartPoint.termOrZero(log, applied);
    ConfState conf = log.initialState().confState();
    boolean emptyVotes = conf.equals(ConfState.EMPTY) && r.sm.mayVoteWithoutState();
    r.group = new RaftGroup(node.raftConfig(r.groupId, applied, conf.voters(), emptyVotes), r.storage, random.split());
    syncLeaseClock(r); // on the worker's count from the start, so the first read's sync takes no lease away
    r.handedOff = applied;
    long skipThrough = recovered && smApplied > applied ? smApplied : 0;
    // Raft restarted with the state machine's membership (if it records one), as of smApplied.
    r.confAppliedThrough = r.sm.appliedConfState() != null ? skipThrough : 0;
    applies.enqueue(r, ApplyTask.open(r, applied, appliedTerm, r.group.confState(), skipThrough));
    active.activate(r);
    touch(r);
    for (Message m : early.take(r.groupId)) {
      counters.received(m.type);
      r.group.step(m);
      SnapshotRelease.ignored(r.group, m);
    }
  }

  /** Registers a group recovered from the log store at start-up (before threads run). */
  void recover(long groupId) {
    Replica r = new Replica(groupId, node, this, node.applierFor(groupId));
    replicas.put(groupId, r);
    groupCount = replicas.size();
    instantiate(r, true);
  }

  private void remove(Command.Remove c) {
    Replica r = replicas.remove(c.groupId());
    groupCount = replicas.size();
    if (r == null) {
      c.future().completeExceptionally(new RaftException.GroupNotFound(c.groupId()));
      return;
    }
    r.removed = true;
    noteLeadership(r, false);
    active.deactivate(r);
    // A proposal already in the log may still commit on the other replicas (this one was removed,
    // not the entry): its outcome is unknown, not "no such group".
    if (r.proposals != null) {
      for (Replica.PendingProposal p : r.proposals) {
        p.future().completeExceptionally(new RaftException.OutcomeUnknown(c.groupId(), p.index()));
      }
      r.proposals.clear();
    }
    failPending(r, new RaftException.GroupNotFound(c.groupId()));
    // The group's writes already batched must reach the store before its log is deleted, or the
    // writer appends to a deleted log ("would leave a gap") and fails the whole node.
    removals.add(r, c.future(), batches.submitOpenWrites());
    removals.start(batches.persistedSeq());
  }

  /** The removed group's log is gone: creations of its id that waited may proceed. */
  private void groupRemoved(Replica r) {
    ArrayList<Command.Create> creates = removals.removed(r);
    if (creates != null) {
      for (Command.Create c : creates) {
        create(c);
      }
    }
  }

  private void failPending(Replica r, RaftException e) {
    if (r.proposals != null) {
      for (Replica.PendingProposal p : r.proposals) {
        p.future().completeExceptionally(e);
      }
      r.proposals.clear();
    }
    if (r.reads != null) {
      for (Replica.PendingRead p : r.reads) {
        p.future.completeExceptionally(e);
      }
      r.reads.clear();
    }
    if (r.cycleFutures != null) {
      for (CompletableFuture<Object> f : r.cycleFutures) {
        f.completeExceptionally(e);
      }
      r.cycleFutures.clear();
      r.cycleCommands.clear();
    }
  }

  /** Fails every request of every group: the node is closing or its log failed. */
  void failAll(RaftException e) {
    for (Replica r : replicas.values()) {
      failPending(r, e);
    }
    removals.failAll(e);
    Command c;
    while ((c = inbound.poll()) != null) {
      failExternal(c, e);
    }
  }

  // ---------------------------------------------------------------- bookkeeping

  private void noteLeadership(Replica r, boolean leading) {
    if (leading != r.leading) {
      r.leading = leading;
      leaderCount += leading ? 1 : -1;
      if (leading) {
        counters.leadershipsGained.increment();
      }
    }
  }

  void touch(Replica r) {
    if (!r.touched) {
      r.touched = true;
      touched.add(r);
    }
  }

  // ---------------------------------------------------------------- Ready handling

  private int collectReadies(long nowNs) {
    int n = 0;
    for (int i = 0; i < touched.size(); i++) {
      Replica r = touched.get(i);
      r.touched = false;
      if (r.removed || r.group == null) {
        continue;
      }
      if (r.outstanding != null) {
        // Its Ready is looked at again when the write completes, but what may go at once goes now:
        // a slow sync must not hold a leader's heartbeats for an election timeout. Only for so
        // long, though: a disk that stopped answering must not keep its leader in office for ever.
        // Past the bound the group falls silent, and its followers elect a leader that can write.
        if (nowNs - r.outstandingSinceNs < stalledWriteNs) {
          outbox.route(r.group.takeMessages());
        }
        continue;
      }
      // Back-pressure from a slow state machine: hand it nothing more until its backlog drains,
      // but keep persisting and acknowledging, so the group's Raft (and quorum) stays healthy.
      r.group.pauseApply(r.applyBacklog != null && !r.applyBacklog.isEmpty());
      if (!r.group.hasReady() && !active.quiesceSparse(r)) {
        continue;
      }
      Ready rd = r.group.ready();
      cycleCounts.readies++;
      n++;
      if (rd.softState() != null) {
        noteLeadership(r, rd.softState().role() == Role.LEADER);
      }
      RaftObserver obs = node.observer();
      if (obs != null) {
        if (rd.softState() != null && rd.softState().role() == Role.LEADER) {
          obs.onLeader(cfg.nodeId(), r.groupId, r.group.term());
        }
        if (rd.hardState() != null) {
          obs.onCommit(cfg.nodeId(), r.groupId, rd.hardState().term(), rd.hardState().commit());
        }
      }
      outbox.route(rd.messages());
      if (rd.hardState() != null && rd.entries().isEmpty() && rd.snapshot() == null && !rd.mustSync()
          && !RaftGroup.commitsMembershipChange(rd.committedEntries())) {
        // Only the commit index moved: nothing to persist (RaftGroup#mustPersistHardState), and
        // the Ready's messages promise nothing new (they ack entries already durable): they go now.
        onPersisted(r, rd);
        batches.submitOpenWrites(); // a membership change handed off above is recorded without waiting for a write
      } else if (rd.snapshot() != null) {
        // Lesson 12: the state machine is restored first, and only then is the snapshot's Raft
        // position persisted and acknowledged (Command.Restored). In the other order a crash in
        // between leaves a log truncated to a snapshot the state machine never got: the entries
        // it covers would be skipped for good.
        r.outstanding = rd;
        r.confAppliedThrough = 0;
        applies.enqueue(r, ApplyTask.restore(r, rd));
      } else if (rd.hasPersistWork()) {
        batches.persist(r, rd);
      } else {
        onPersisted(r, rd);
      }
      if (r.outstanding != null) {
        r.outstandingSinceNs = nowNs;
      }
    }
    touched.clear();
    batches.submit();
    return n;
  }

  private void persisted(Command.Persisted p) {
    if (p.error() != null) {
      node.fail(p.error());
      return;
    }
    batches.persisted(p.seq());
    for (int i = 0; i < p.replicas().size(); i++) {
      Replica r = p.replicas().get(i);
      if (!r.removed) {
        onPersisted(r, p.readies().get(i));
      }
    }
    for (int i = 0; i < p.created().size(); i++) {
      Replica r = p.created().get(i);
      if (!r.removed) {
        instantiate(r, false);
      }
      p.creates().get(i).future().complete(null);
    }
    if (!removals.isEmpty()) {
      removals.start(batches.persistedSeq());
    }
  }

  /** The Ready's state is durable: acknowledge, hand committed entries to the applier, advance. */
  private void onPersisted(Replica r, Ready rd) {
    r.outstanding = null;
    outbox.route(rd.persistedMessages());
    Snapshot snap = rd.snapshot();
    if (snap != null) {
      // The state machine was restored before this was persisted (see collectReadies).
      r.handedOff = Math.max(r.handedOff, snap.index());
      while (r.proposals != null && !r.proposals.isEmpty() && r.proposals.peek().index() <= snap.index()) {
        Replica.PendingProposal p = r.proposals.poll();
        p.future().completeExceptionally(new RaftException.OutcomeUnknown(r.groupId, p.index()));
      }
    }
    if (!rd.committedEntries().isEmpty()) {
      applies.handOff(r, rd.committedEntries());
    }
    List<ReadState> readStates = rd.readStates();
    for (int i = 0; i < readStates.size(); i++) { // indexed: no iterator per Ready
      ReadState rs = readStates.get(i);
      if (r.reads != null) {
        for (Replica.PendingRead pr : r.reads) {
          if (pr.context == rs.context()) {
            pr.index = rs.index();
          }
        }
      }
    }
    applies.dispatchReads(r);
    r.group.advancePersisted(rd);
    touch(r);
  }

  private void applied(Command.Applied a) {
    for (int i = 0; i < a.count(); i++) {
      Replica r = a.replicas()[i];
      if (r.removed || r.group == null) {
        continue;
      }
      if (r.group.reportApplied(Math.min(a.indexes()[i], r.group.commitIndex()))) {
        touch(r); // most applied reports change nothing Raft would hand out
      }
    }
  }

  int activeGroups() {
    return activeCount;
  }

  int groups() {
    return groupCount;
  }

  int leaders() {
    return leaderCount;
  }
}
