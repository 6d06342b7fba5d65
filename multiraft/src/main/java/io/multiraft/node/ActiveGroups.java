package io.multiraft.node;

import io.multiraft.core.Role;
import java.util.ArrayList;

/**
 * A worker's groups that tick, and their ticks. Most groups of a busy node are idle at any moment;
 * an idle group quiesces (stops ticking, drops its idle buffers) and costs nothing until a message
 * or request wakes it, so a tick costs in proportion to the groups in use, not to the groups
 * hosted. Owned by the worker's thread; it marks the groups whose tick produced output as touched,
 * for the worker to collect their Readies.
 */
final class ActiveGroups {
  private final Worker worker;
  private final NodeCounters counters;
  /** Groups that tick; quiesced groups are absent. Swap-removal keeps it dense. */
  private final ArrayList<Replica> active = new ArrayList<>();
  private final ArrayList<Replica> quiesceCandidates = new ArrayList<>();
  private final long sparseAfterNs;
  /** The worker's clock at the start of the current duty cycle: how long a quiesced group slept. */
  private long nowNs;

  ActiveGroups(Worker worker, NodeCounters counters, long tickIntervalNs) {
    this.worker = worker;
    this.counters = counters;
    this.sparseAfterNs = 2 * tickIntervalNs;
  }

  void cycleStarts(long nowNs) {
    this.nowNs = nowNs;
  }

  boolean isEmpty() {
    return active.isEmpty();
  }

  int size() {
    return active.size();
  }

  int tick() {
    // Idle leaders quiesce instead of ticking: one final heartbeat, then no cost at all. A group
    // must have gone a whole tick without new entries, or a steady writer with one write in flight
    // would quiesce and wake it between every two writes.
    for (Replica r : active) {
      if (r.group.role() != Role.LEADER) {
        continue;
      }
      long last = r.group.lastIndex();
      boolean idleForATick = last == r.lastIndexAtTick;
      r.lastIndexAtTick = last;
      if (idleForATick && hasNothingInFlight(r, false)) {
        quiesceCandidates.add(r);
      }
    }
    for (Replica r : quiesceCandidates) {
      quiesceLeader(r);
      worker.touch(r);
    }
    quiesceCandidates.clear();
    int n = active.size();
    for (int i = 0; i < n; i++) {
      Replica r = active.get(i);
      if (r.group.tick()) {
        worker.touch(r); // a tick without output needs no Ready check (most ticks of most groups)
      } else if (r.group.canSleep() && r.outstanding == null && !r.hasClientWork()) {
        quiesceCandidates.add(r);
      }
    }
    // A replica that may not campaign and knows no leader has nothing to tick for (once its lease
    // guard is over): an empty one waiting for its first snapshot, a learner or removed voter whose
    // leader went away. It sleeps until a message arrives (which wakes it), instead of ticking for ever.
    for (Replica r : quiesceCandidates) {
      quiesce(r);
    }
    quiesceCandidates.clear();
    counters.ticks.add(n);
    return n;
  }

  /**
   * A sparse group's leader quiesces as soon as its write is done: held by every follower,
   * committed and handed to the application, in the cycle it committed. Waiting for a tick without
   * writes kept it and, until its final heartbeat, its followers ticking for one to two ticks per
   * write: 4.6 ticks per write over 10,000 groups. A group woken again within two ticks of
   * quiescing is not sparse and keeps the tick rule, so a steady writer's group stays awake between
   * its writes. Returns whether it quiesced (its final heartbeat is then in its Ready).
   */
  boolean quiesceSparse(Replica r) {
    if (nowNs >= r.sparseUntilNs || r.quiesced || r.group.role() != Role.LEADER || !hasNothingInFlight(r, true)) {
      return false;
    }
    quiesceLeader(r);
    counters.quiescedEarly.increment();
    return true;
  }

  /** A leader's group with no Ready, request or Raft work in flight (see RaftGroup#canQuiesce). */
  private static boolean hasNothingInFlight(Replica r, boolean applyInFlight) {
    return r.outstanding == null && !r.hasClientWork()
        && (applyInFlight ? r.group.canQuiesceBeforeApplied() : r.group.canQuiesce());
  }

  /** The leader's final heartbeat goes into its Ready, and the group stops ticking. */
  private void quiesceLeader(Replica r) {
    r.group.quiesce();
    quiesce(r);
  }

  void quiesce(Replica r) {
    r.quiesced = true;
    r.sparseUntilNs = Long.MIN_VALUE;
    r.quiescedAtNs = nowNs;
    r.group.dropIdleBuffers();
    deactivate(r);
    counters.quiesced.increment();
  }

  void wakeIfQuiesced(Replica r) {
    if (r.quiesced) {
      r.quiesced = false;
      r.sparseUntilNs = nowNs - r.quiescedAtNs >= sparseAfterNs ? nowNs + sparseAfterNs : Long.MIN_VALUE;
      r.group.wake();
      activate(r);
      counters.woken.increment();
    }
  }

  void activate(Replica r) {
    if (r.activeSlot < 0) {
      r.activeSlot = active.size();
      active.add(r);
    }
  }

  void deactivate(Replica r) {
    int slot = r.activeSlot;
    if (slot < 0) {
      return;
    }
    Replica last = active.remove(active.size() - 1);
    if (last != r) {
      active.set(slot, last);
      last.activeSlot = slot;
    }
    r.activeSlot = -1;
  }
}
