package io.multiraft.node;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotMeta;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply stage: runs state machines off the raft workers (lesson 18). Each group is pinned to
 * one applier, so its tasks run in order. The data queue is bounded: when it is full the worker
 * keeps the group's tasks back (and stops taking its Readies), which is the back-pressure.
 */
final class Applier implements DutyCycle {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  private static final int MAX_TASKS_PER_CYCLE = 1024;

  private final int index;
  private final MultiRaftNode node;
  private final MpscArrayQueue<ApplyTask> queue;
  private final ConcurrentLinkedQueue<ApplyTask> control = new ConcurrentLinkedQueue<>();
  private final ArrayList<Replica> appliedThisCycle = new ArrayList<>();
  DutyCycleThread thread;

  Applier(int index, MultiRaftNode node, int capacity) {
    this.index = index;
    this.node = node;
    this.queue = new MpscArrayQueue<>(capacity);
  }

  @Override
  public String name() {
    return "raft-apply-" + node.config().nodeId() + "-" + index;
  }

  boolean offer(ApplyTask t) {
    if (!queue.offer(t)) {
      return false;
    }
    wake();
    return true;
  }

  /** Unordered control work (snapshot creation); never refused. */
  void offerControl(ApplyTask t) {
    control.add(t);
    wake();
  }

  private void wake() {
    DutyCycleThread th = thread;
    if (th != null) {
      th.wake();
    }
  }

  @Override
  public long idleParkNs(long nowNs) {
    return Long.MAX_VALUE;
  }

  @Override
  public int doWork(long nowNs) {
    int n = 0;
    ApplyTask t;
    while ((t = control.poll()) != null) {
      run(t);
      n++;
    }
    while (n < MAX_TASKS_PER_CYCLE && (t = queue.poll()) != null) {
      run(t);
      n++;
    }
    if (!appliedThisCycle.isEmpty()) {
      postAppliedNotes();
    }
    return n;
  }

  /**
   * One command per worker for the whole cycle, not one per group: with thousands of groups the
   * per-group commands (an allocation, a queue hand-off and a wake each) were a cost per write.
   */
  private void postAppliedNotes() {
    ArrayList<Replica> notes = appliedThisCycle;
    int n = notes.size();
    for (int i = 0; i < n; i++) {
      Replica first = notes.get(i);
      if (first == null) {
        continue;
      }
      Worker w = first.worker;
      int count = 0;
      for (int j = i; j < n; j++) {
        Replica r = notes.get(j);
        if (r != null && r.worker == w) {
          count++;
        }
      }
      Replica[] rs = new Replica[count];
      long[] idx = new long[count];
      int k = 0;
      for (int j = i; j < n; j++) {
        Replica r = notes.get(j);
        if (r != null && r.worker == w) {
          r.appliedNoted = false;
          rs[k] = r;
          idx[k++] = r.appliedIndex;
          notes.set(j, null);
        }
      }
      w.postApplied(rs, idx, count);
    }
    notes.clear();
  }

  private void run(ApplyTask t) {
    try {
      execute(t);
    } catch (io.multiraft.spi.LogStoreException e) {
      // Compaction or removal hit a failed log store: the node stops serving, the thread lives on.
      node.fail(e);
    }
  }

  private void execute(ApplyTask t) {
    Replica r = t.replica;
    switch (t.kind) {
      case OPEN -> {
        SnapshotMeta m = t.snapshot.meta();
        r.appliedIndex = m.index();
        r.appliedTerm = m.term();
        r.appliedConf = m.confState();
        r.lastSnapshotIndex = m.index();
        r.skipThrough = t.skipThrough;
      }
      case ENTRIES -> applyEntries(t);
      case RESTORE -> {
        Snapshot s = t.snapshot;
        try {
          r.sm.restore(s.payload());
        } catch (RuntimeException e) {
          // The state machine refused or failed the snapshot. Its group cannot go on (its Raft waits
          // for this restore) until the embedder removes or replaces the replica; the node's other
          // groups must go on, so this thread must not die with it.
          LOG.error("group {}: the state machine could not restore the snapshot at index {}; the group waits until"
              + " its replica is removed or replaced", r.groupId, s.index(), e);
          node.counters().snapshotRestoresFailed.increment();
          return;
        } finally {
          s.payload().release(); // staged files of a received snapshot are not needed any more
        }
        r.sm.applyConfChange(s.index(), s.term(), s.meta().confState());
        r.appliedIndex = s.index();
        r.appliedTerm = s.term();
        r.appliedConf = s.meta().confState();
        r.lastSnapshotIndex = s.index();
        r.bytesSinceSnapshot = 0;
        r.skipThrough = 0;
        // Received data in memory can be sent on as it is; staged data was consumed by the
        // restore (and released above): a later send creates a fresh snapshot instead.
        r.snapshotCreated(s.payload() instanceof io.multiraft.core.SnapshotData.Bytes ? s : null);
        node.counters().snapshotsRestored.increment();
        // Lesson 12: only now may the worker persist the snapshot's Raft position and acknowledge
        // it; Raft counts it as applied when that write is durable.
        r.worker.postInternal(new Command.Restored(r, t.ready));
      }
      case QUERY -> {
        try {
          t.future.complete(t.query.apply(r.sm));
        } catch (RuntimeException e) {
          t.future.completeExceptionally(e);
        }
      }
      case CREATE_SNAPSHOT -> {
        if (r.sm != null && !r.removed) {
          createSnapshot(r, false);
        }
      }
      case REMOVE -> {
        if (r.sm != null) {
          r.sm.close();
        }
        node.store().removeGroup(r.groupId);
        r.dropSnapshot();
        node.transport().groupRemoved(r.groupId); // cancels its transfers in flight, freeing their data
        t.future.complete(null);
        r.worker.postInternal(new Command.GroupRemoved(r));
      }
    }
  }

  private void applyEntries(ApplyTask t) {
    Replica r = t.replica;
    for (int i = 0; i < t.entries.size(); i++) {
      Entry e = t.entries.get(i);
      if (e.index() <= r.appliedIndex) {
        continue; // already covered by a snapshot restored meanwhile
      }
      if (e.index() <= r.skipThrough) {
        r.appliedIndex = e.index(); // durable in the state machine before the restart
        r.appliedTerm = e.term();
        continue;
      }
      Object result = null;
      RuntimeException failure = null;
      if (e.type() == EntryType.CONF_CHANGE) {
        ConfState cs = t.confStates == null ? null : t.confStates[i];
        if (cs != null) {
          r.appliedConf = cs.intern();
          r.sm.applyConfChange(e.index(), e.term(), cs);
          // A snapshot from before a membership change may not include a replica just added.
          r.dropSnapshot();
        }
        result = cs;
      } else if (e.data().length > 0) {
        try {
          result = r.sm.apply(e);
        } catch (RuntimeException ex) {
          // A state machine that throws is broken; the proposer learns it, the log goes on.
          LOG.error("group {}: state machine failed applying index {}", r.groupId, e.index(), ex);
          failure = ex;
        }
      }
      r.appliedIndex = e.index();
      r.appliedTerm = e.term();
      r.bytesSinceSnapshot += e.sizeBytes();
      CompletableFuture<Object> f = t.futures == null ? null : t.futures[i];
      if (f != null) {
        if (failure != null) {
          f.completeExceptionally(failure);
        } else {
          f.complete(result);
        }
      }
    }
    node.counters().applied.add(t.entries.size());
    Snapshot held = r.latestSnapshot;
    if (held != null && held.index() < r.sm.snapshotFloor()) {
      r.dropSnapshot();
    }
    NodeConfig cfg = node.config();
    long every = cfg.snapshotEveryEntries();
    long bytes = cfg.groupLogBytes(node.groupCount());
    if (every > 0 && r.appliedIndex - r.lastSnapshotIndex >= every) {
      createSnapshot(r, false);
    } else if (bytes > 0 && r.bytesSinceSnapshot >= bytes) {
      createSnapshot(r, true);
    }
    noteApplied(r);
  }

  private void noteApplied(Replica r) {
    if (!r.appliedNoted) {
      r.appliedNoted = true;
      appliedThisCycle.add(r);
    }
  }

  /**
   * Snapshot as of the applied index, then compact the log behind it, keeping a margin (lesson 7).
   * When the log budget asked for it ({@code forBudget}), the margin goes no further back than the
   * previous snapshot: budget snapshots come every few dozen entries at many groups, and a margin
   * of a thousand entries each would undo the budget.
   */
  private void createSnapshot(Replica r, boolean forBudget) {
    if (r.appliedIndex < r.skipThrough) {
      // The state is ahead of the index whose term we know: a snapshot's metadata would lie.
      LOG.info("group {}: no snapshot until the log catches up with the state machine's index {}", r.groupId, r.skipThrough);
      r.snapshotCreated(r.latestSnapshot);
      return;
    }
    Snapshot s;
    try {
      s = new Snapshot(new SnapshotMeta(r.appliedIndex, r.appliedTerm, r.appliedConf), r.sm.openSnapshot());
    } catch (RuntimeException e) {
      LOG.warn("group {}: snapshot at index {} could not be created; the send is aborted and retried later", r.groupId, r.appliedIndex, e);
      r.snapshotCreated(r.latestSnapshot);
      return;
    }
    r.snapshotCreated(s);
    long previous = r.lastSnapshotIndex;
    r.lastSnapshotIndex = s.index();
    r.bytesSinceSnapshot = 0;
    node.counters().snapshotsCreated.increment();
    long compactTo = s.index() - node.config().compactionMarginEntries();
    if (forBudget && previous < s.index()) {
      compactTo = Math.max(compactTo, previous);
    }
    if (compactTo > 0 && s.index() > 0) {
      node.store().compact(r.groupId, compactTo);
      node.counters().compactions.increment();
    }
  }
}
