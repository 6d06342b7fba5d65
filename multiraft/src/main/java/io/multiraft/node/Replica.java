package io.multiraft.node;

import io.multiraft.core.ConfState;
import io.multiraft.core.RaftGroup;
import io.multiraft.core.Ready;
import io.multiraft.core.Snapshot;
import io.multiraft.spi.StateMachine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * One group hosted by this node. Fields are owned by the group's worker thread unless marked as
 * the applier's. Collections are created on first use: an idle group must cost little memory.
 */
final class Replica {
  final long groupId;
  final MultiRaftNode node;
  final Worker worker;
  final Applier applier;

  // ---- worker-owned
  RaftGroup group; // null until its bootstrap is durable
  GroupStorage storage;
  boolean quiesced;
  int activeSlot = -1;
  boolean touched;
  boolean removed;
  boolean leading;
  /** The log's last index at the previous tick: a leader quiesces only after a whole tick without new entries. */
  long lastIndexAtTick = -1;
  /** When this replica last quiesced (worker clock). */
  long quiescedAtNs = Long.MIN_VALUE / 2;
  /**
   * Until when (worker clock) this replica counts as a sparse group's: one woken after sleeping for
   * two ticks or more, with one write now and then. As leader it quiesces as soon as that write is
   * done instead of after a tick without writes. Only for two ticks from the wake: a group that
   * stays busy, or a replica that leads only later, keeps the tick rule.
   */
  long sparseUntilNs = Long.MIN_VALUE;
  Ready outstanding;
  /** When {@link #outstanding} was handed out (worker clock): a write stalled past a bound silences the group. */
  long outstandingSinceNs;
  /** Highest committed index handed to the applier. */
  long handedOff;
  /**
   * Membership changes up to here are already in the membership Raft restarted with (the state
   * machine's, as of its durable applied index), though Raft hands them over again: not re-applied.
   */
  long confAppliedThrough;
  /**
   * Ordered by (index, term), not by arrival: after a change of leadership a new proposal can take
   * an index below an older pending one, and each must be matched against the entry that commits
   * at its own index (simulation seed 9891).
   */
  java.util.PriorityQueue<PendingProposal> proposals;
  ArrayList<PendingRead> reads;
  ArrayList<byte[]> cycleCommands;
  ArrayList<CompletableFuture<Object>> cycleFutures;
  ArrayDeque<ApplyTask> applyBacklog;

  // ---- applier-owned
  StateMachine sm;
  long appliedIndex;
  long appliedTerm;
  ConfState appliedConf;
  long lastSnapshotIndex;
  /** Bytes of entries applied since the last snapshot (see {@link NodeConfig#logBudgetBytes}). */
  long bytesSinceSnapshot;
  boolean appliedNoted;
  /**
   * The state machine durably holds every entry up to here (it was ahead of what the log proved
   * committed at start-up): entries up to here are counted as applied, not applied again.
   */
  long skipThrough;

  // ---- shared
  volatile Snapshot latestSnapshot;
  /** Through {@link #SNAPSHOT_REQUESTED}: a field, not an AtomicBoolean, saves every replica an object. */
  private volatile boolean snapshotRequested;
  private static final VarHandle SNAPSHOT_REQUESTED;

  static {
    try {
      SNAPSHOT_REQUESTED = MethodHandles.lookup().findVarHandle(Replica.class, "snapshotRequested", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  Replica(long groupId, MultiRaftNode node, Worker worker, Applier applier) {
    this.groupId = groupId;
    this.node = node;
    this.worker = worker;
    this.applier = applier;
  }

  /** A proposal accepted into the log at (index, term), waiting to be applied. */
  record PendingProposal(long index, long term, CompletableFuture<Object> future) implements Comparable<PendingProposal> {
    @Override
    public int compareTo(PendingProposal o) {
      int c = Long.compare(index, o.index);
      return c != 0 ? c : Long.compare(term, o.term);
    }
  }

  /** A linearizable read: waits for its read index, then for that index to be handed to the applier. */
  static final class PendingRead {
    final long context;
    final java.util.function.Function<StateMachine, Object> query;
    final CompletableFuture<Object> future;
    long index = -1;

    PendingRead(long context, java.util.function.Function<StateMachine, Object> query, CompletableFuture<Object> future) {
      this.context = context;
      this.query = query;
      this.future = future;
    }
  }

  void requestSnapshot() {
    if (SNAPSHOT_REQUESTED.compareAndSet(this, false, true)) {
      applier.offerControl(ApplyTask.createSnapshot(this));
    }
  }

  /**
   * The replica holds one reference to its latest snapshot's data; replacing it gives that back
   * (a transfer in flight keeps its own reference, so the data lives until it ends).
   */
  void snapshotCreated(Snapshot s) {
    Snapshot old = latestSnapshot;
    latestSnapshot = s;
    snapshotRequested = false;
    if (old != null && old != s) {
      old.payload().release();
    }
  }

  /** Forgets the latest snapshot (stale, or the group is going away) and releases its data. */
  void dropSnapshot() {
    Snapshot old = latestSnapshot;
    latestSnapshot = null;
    if (old != null) {
      old.payload().release();
    }
  }

  /**
   * Whether requests wait on this group. Requests already answered (timed out) do not count and are
   * dropped here: one waiting for an entry a leader change truncated stays queued until new writes
   * reach its index, and would otherwise keep an idle group from quiescing for ever.
   */
  boolean hasClientWork() {
    if (proposals != null && !proposals.isEmpty()) {
      proposals.removeIf(p -> p.future().isDone());
    }
    if (reads != null && !reads.isEmpty()) {
      reads.removeIf(rd -> rd.future.isDone());
    }
    return (proposals != null && !proposals.isEmpty())
        || (reads != null && !reads.isEmpty())
        || (cycleCommands != null && !cycleCommands.isEmpty())
        || (applyBacklog != null && !applyBacklog.isEmpty());
  }
}
