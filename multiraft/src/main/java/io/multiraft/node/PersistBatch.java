package io.multiraft.node;

import io.multiraft.core.Ready;
import io.multiraft.spi.LogBatch;
import java.util.ArrayList;

/**
 * A worker's log writes of one duty cycle, gathered into one batch so that all its groups share
 * one write and one sync, and the numbering of the batches it submits. The batch is written
 * asynchronously by the node's {@link LogWriter}; its completion comes back to the worker's thread
 * as a {@link Command.Persisted} carrying the Readies and creations it made durable. Batches are
 * made durable in the order submitted, so a sequence number says how far the log has got (a
 * removed group's log is deleted only after its batched writes). Owned by the worker's thread.
 */
final class PersistBatch {
  private final MultiRaftNode node;
  private final Worker worker;
  private final NodeCounters counters;

  private LogBatch batch;
  /** The batch holds writes nobody waits for (membership changes, removals): submit it anyway. */
  private boolean lazyWrites;
  private ArrayList<Replica> batchReplicas = new ArrayList<>();
  private ArrayList<Ready> batchReadies = new ArrayList<>();
  private ArrayList<Command.Create> batchCreates = new ArrayList<>();
  private ArrayList<Replica> batchCreated = new ArrayList<>();

  /** Sequence of the last batch the log writer accepted, and of the last one made durable (in order). */
  private long submittedSeq;
  private long persistedSeq;

  PersistBatch(MultiRaftNode node, Worker worker, NodeCounters counters) {
    this.node = node;
    this.worker = worker;
    this.counters = counters;
  }

  /** The open batch, created on first use. */
  LogBatch batch() {
    if (batch == null) {
      batch = node.store().newBatch();
    }
    return batch;
  }

  /** Adds a Ready's log changes to the batch; it proceeds when the batch is durable. */
  void persist(Replica r, Ready rd) {
    LogBatch b = batch();
    if (rd.snapshot() != null) {
      b.snapshot(r.groupId, rd.snapshot().meta());
    }
    if (!rd.entries().isEmpty()) {
      b.append(r.groupId, rd.entries());
    }
    if (rd.hardState() != null && r.group.mustPersistHardState(rd)) {
      b.hardState(r.groupId, rd.hardState()); // not when only the commit index moved
    }
    r.outstanding = rd;
    batchReplicas.add(r);
    batchReadies.add(rd);
  }

  /** Adds a new group's initial state to the batch; the group starts when the batch is durable. */
  void create(Command.Create c, Replica r) {
    batch().bootstrap(c.groupId(), c.initial(), c.hardState());
    batchCreates.add(c);
    batchCreated.add(r);
  }

  /**
   * Makes writes already in the open batch go out this cycle even if nobody waits for them, and
   * returns the sequence of the batch that will have made every write so far durable.
   */
  long submitOpenWrites() {
    if (batch != null && !batch.isEmpty()) {
      lazyWrites = true;
      return submittedSeq + 1;
    }
    return submittedSeq;
  }

  void submit() {
    if (batch == null || (batchReplicas.isEmpty() && batchCreates.isEmpty() && !lazyWrites)) {
      return;
    }
    LogBatch b = batch;
    long seq = submittedSeq + 1;
    Command.Persisted done = new Command.Persisted(seq, batchReplicas, batchReadies, batchCreates, batchCreated, null);
    boolean accepted = node.logWriter().submit(b, err -> worker.postInternal(err == null ? done
        : new Command.Persisted(seq, done.replicas(), done.readies(), done.creates(), done.created(), err)));
    if (!accepted) {
      return; // the writer is full: keep filling this batch and try again next cycle
    }
    submittedSeq = seq;
    counters.logBatches.increment();
    lazyWrites = false;
    batch = null;
    batchReplicas = new ArrayList<>();
    batchReadies = new ArrayList<>();
    batchCreates = new ArrayList<>();
    batchCreated = new ArrayList<>();
  }

  /** The batch with sequence {@code seq} is durable, and so (writes being in order) is every one before it. */
  void persisted(long seq) {
    persistedSeq = Math.max(persistedSeq, seq);
  }

  long persistedSeq() {
    return persistedSeq;
  }
}
