package io.multiraft.node;

import io.multiraft.core.ProposeResult;
import io.multiraft.core.RaftGroup;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * The proposals a worker received in one duty cycle, gathered per group so that each group's
 * become one append: one entry batch and one message per follower, instead of one per request,
 * which is what lets a group keep up with many small concurrent writes. The per-group lists live in
 * the {@link Replica} and are reused from cycle to cycle. Owned by the worker's thread.
 */
final class CycleProposals {
  private final Worker worker;
  private final ActiveGroups active;
  private final RequestDeadlines deadlines;
  private final NodeCounters counters;
  /** Groups with proposals this cycle, each once. */
  private final ArrayList<Replica> proposing = new ArrayList<>();

  CycleProposals(Worker worker, ActiveGroups active, RequestDeadlines deadlines, NodeCounters counters) {
    this.worker = worker;
    this.active = active;
    this.deadlines = deadlines;
    this.counters = counters;
  }

  void add(Replica r, Command.Propose p) {
    if (r.cycleCommands == null) {
      r.cycleCommands = new ArrayList<>();
      r.cycleFutures = new ArrayList<>();
    }
    if (r.cycleCommands.isEmpty()) {
      proposing.add(r);
    }
    r.cycleCommands.add(p.command());
    r.cycleFutures.add(p.future());
  }

  /** Each group's proposals of this cycle become one append: one entry batch, one message per follower. */
  int proposeAll(long nowNs) {
    int n = proposing.size();
    for (Replica r : proposing) {
      ArrayList<byte[]> cmds = r.cycleCommands;
      ArrayList<CompletableFuture<Object>> futs = r.cycleFutures;
      if (r.removed || cmds.isEmpty()) {
        continue;
      }
      active.wakeIfQuiesced(r);
      RaftGroup g = r.group;
      ProposeResult res = g.propose(cmds);
      counters.proposals.add(cmds.size());
      if (res == ProposeResult.ACCEPTED) {
        long first = g.lastIndex() - cmds.size() + 1;
        long term = g.term();
        if (r.proposals == null) {
          r.proposals = new java.util.PriorityQueue<>();
        }
        for (int i = 0; i < futs.size(); i++) {
          r.proposals.add(new Replica.PendingProposal(first + i, term, futs.get(i)));
        }
        if (futs.size() == 1) {
          deadlines.add(nowNs, r, futs.get(0));
        } else {
          deadlines.addAll(nowNs, r, futs.toArray(new CompletableFuture<?>[0]));
        }
        worker.touch(r);
      } else {
        RaftException e = Worker.refusal(r, res);
        for (CompletableFuture<Object> f : futs) {
          f.completeExceptionally(e);
        }
      }
      cmds.clear();
      futs.clear();
    }
    proposing.clear();
    return n;
  }
}
