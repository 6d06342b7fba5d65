package io.multiraft.node;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.spi.LogBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A worker's hand-off of committed entries, reads and group tasks to the apply stage: matches
 * proposals to the entries that commit at their index, applies membership changes in Raft in log
 * order, and keeps a group's tasks back (in order) while its applier's queue is full.
 */
final class ApplyHandOff {
  private final ArrayList<Replica> backlogged = new ArrayList<>();
  private final Supplier<LogBatch> batch;
  private final Consumer<Replica> touch;

  ApplyHandOff(Supplier<LogBatch> batch, Consumer<Replica> touch) {
    this.batch = batch;
    this.touch = touch;
  }

  @SuppressWarnings("unchecked")
  void handOff(Replica r, List<Entry> ents) {
    long first = ents.get(0).index();
    long last = ents.get(ents.size() - 1).index();
    CompletableFuture<Object>[] futures = null;
    ConfState[] confs = null;
    for (int i = 0; i < ents.size(); i++) {
      Entry e = ents.get(i);
      if (e.type() == EntryType.CONF_CHANGE && e.index() > r.confAppliedThrough) {
        // Membership changes take effect in Raft when committed entries are handed off, in order.
        if (confs == null) {
          confs = new ConfState[ents.size()];
        }
        confs[i] = r.group.applyConfChange(e);
        // Recorded with the next batch, so a restart starts from the membership in force.
        batch.get().confState(r.groupId, confs[i]);
      }
    }
    java.util.PriorityQueue<Replica.PendingProposal> ps = r.proposals;
    while (ps != null && !ps.isEmpty() && ps.peek().index() <= last) {
      Replica.PendingProposal p = ps.poll();
      if (p.future().isDone()) {
        continue;
      }
      if (p.index() < first) {
        // Its index was covered by a snapshot, not by entries we saw: it may or may not be in it.
        p.future().completeExceptionally(new RaftException.OutcomeUnknown(r.groupId, p.index()));
        continue;
      }
      int at = (int) (p.index() - first);
      if (ents.get(at).term() != p.term()) {
        p.future().completeExceptionally(new RaftException.Dropped(r.groupId, "entry " + p.index() + " was replaced by another leader's"));
        continue;
      }
      if (futures == null) {
        futures = new CompletableFuture[ents.size()];
      }
      futures[at] = p.future();
    }
    r.handedOff = last;
    enqueue(r, ApplyTask.entries(r, ents, futures, confs));
  }

  void dispatchReads(Replica r) {
    if (r.reads == null || r.reads.isEmpty()) {
      return;
    }
    for (int i = 0; i < r.reads.size(); i++) {
      Replica.PendingRead pr = r.reads.get(i);
      if (pr.future.isDone()) {
        r.reads.remove(i--);
      } else if (pr.index >= 0 && pr.index <= r.handedOff) {
        // Queued behind the entries up to the read index, so it runs once they are applied.
        enqueue(r, ApplyTask.query(r, pr.query, pr.future));
        r.reads.remove(i--);
      }
    }
  }

  void enqueue(Replica r, ApplyTask t) {
    if ((r.applyBacklog == null || r.applyBacklog.isEmpty()) && r.applier.offer(t)) {
      return;
    }
    if (r.applyBacklog == null) {
      r.applyBacklog = new ArrayDeque<>();
    }
    if (r.applyBacklog.isEmpty()) {
      backlogged.add(r);
    }
    r.applyBacklog.add(t);
  }

  int drainBacklogs() {
    int n = 0;
    for (int i = 0; i < backlogged.size(); i++) {
      Replica r = backlogged.get(i);
      while (!r.applyBacklog.isEmpty() && r.applier.offer(r.applyBacklog.peekFirst())) {
        r.applyBacklog.pollFirst();
        n++;
      }
      if (r.applyBacklog.isEmpty()) {
        backlogged.remove(i--);
        touch.accept(r);
      }
    }
    return n;
  }
}
