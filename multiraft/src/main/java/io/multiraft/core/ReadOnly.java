package io.multiraft.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Safe read-index requests waiting for a quorum of heartbeat acknowledgements (Raft thesis §6.4).
 * A quorum acknowledging request r also confirms every request queued before r.
 */
final class ReadOnly {
  static final class Pending {
    final long index;
    final long from;
    final long context;
    final Set<Long> acks = new HashSet<>();

    Pending(long index, long from, long context) {
      this.index = index;
      this.from = from;
      this.context = context;
    }
  }

  // Created on first use and dropped when empty: most groups never serve a safe read.
  private HashMap<Long, Pending> pending;
  private ArrayDeque<Long> queue;

  /** Returns false if a request with this context is already pending. */
  boolean add(long index, long from, long context) {
    if (pending == null) {
      pending = new HashMap<>(4);
      queue = new ArrayDeque<>(4);
    }
    if (pending.containsKey(context)) {
      return false;
    }
    pending.put(context, new Pending(index, from, context));
    queue.addLast(context);
    return true;
  }

  /** Records an acknowledgement; returns the acks of that request so far, or null if unknown. */
  Set<Long> ack(long from, long context) {
    if (pending == null) {
      return null;
    }
    Pending p = pending.get(context);
    if (p == null) {
      return null;
    }
    p.acks.add(from);
    return p.acks;
  }

  /** Removes and returns every request up to and including {@code context}, oldest first. */
  List<Pending> advance(long context) {
    if (pending == null || !pending.containsKey(context)) {
      return List.of();
    }
    List<Pending> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      long c = queue.removeFirst();
      out.add(pending.remove(c));
      if (c == context) {
        break;
      }
    }
    if (queue.isEmpty()) {
      clear();
    }
    return out;
  }

  /**
   * The newest pending request whose acknowledgements satisfy {@code quorum}, or 0: after a
   * membership change, acknowledgements already received may make a quorum of the new voters.
   */
  long newestConfirmed(java.util.function.Predicate<Set<Long>> quorum) {
    if (queue == null) {
      return 0;
    }
    long newest = 0;
    for (long c : queue) {
      if (quorum.test(pending.get(c).acks)) {
        newest = c;
      }
    }
    return newest;
  }

  /** The context of the newest pending request, carried by heartbeats; 0 if none. */
  long lastPendingContext() {
    return queue == null || queue.isEmpty() ? 0 : queue.peekLast();
  }

  int size() {
    return queue == null ? 0 : queue.size();
  }

  void clear() {
    pending = null;
    queue = null;
  }
}
