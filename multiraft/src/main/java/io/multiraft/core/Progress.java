package io.multiraft.core;

/**
 * The leader's view of one follower. Invariants: 0 <= match < next; in SNAPSHOT state
 * pendingSnapshot > 0.
 */
public final class Progress {
  long match;
  long next;
  ProgressState state = ProgressState.PROBE;
  /** In SNAPSHOT state, the index of the snapshot being sent. */
  long pendingSnapshot;
  /** In PROBE state, an append is outstanding: send no more until a response or heartbeat response. */
  boolean msgAppFlowPaused;
  /** Heard from this follower in the current election-timeout window. */
  boolean recentActive;
  /** Heard from it in the previous window; with {@code recentActive}, "alive" for the strict check. */
  boolean activeLastWindow;
  boolean isLearner;
  /** In SNAPSHOT state, an election-timeout window passed without news of the snapshot. */
  boolean snapshotWindowPassed;
  /** An append went to this follower since the last periodic heartbeat (it served as one). */
  boolean appendedSinceHeartbeat;
  /**
   * The leader's tick count (truncated; compared by wrapping difference) when it last sent this
   * follower an append. An int: it fits in the object's padding.
   */
  int lastAppendTick;
  /**
   * Appends in flight in REPLICATE state; null while none ever were since the last release. A
   * follower's replica, and a leader's once quiesced, hold no window: every group keeps a progress
   * per member, and a window object in each was the largest part of an idle group's memory.
   */
  private Inflights inflights;
  /** Where the window's limits come from (the reference fits in this object's padding). */
  private final ProgressTracker tracker;

  Progress(long next, ProgressTracker tracker, boolean isLearner) {
    this.next = next;
    this.tracker = tracker;
    this.isLearner = isLearner;
  }

  public long match() {
    return match;
  }

  public long next() {
    return next;
  }

  public ProgressState state() {
    return state;
  }

  public long pendingSnapshot() {
    return pendingSnapshot;
  }

  public boolean recentActive() {
    return recentActive;
  }

  public boolean isLearner() {
    return isLearner;
  }

  public int inflightCount() {
    return inflights == null ? 0 : inflights.count();
  }

  /** Whether the window holds a buffer or an object (an idle group's must not). */
  boolean holdsInflights() {
    return inflights != null;
  }

  /** The appends up to {@code index} were acknowledged. */
  void freeInflightsTo(long index) {
    if (inflights != null) {
      inflights.freeLE(index);
    }
  }

  /** Frees the oldest append in flight (a heartbeat response proved the follower alive). */
  void freeFirstInflight() {
    if (inflights != null) {
      inflights.freeFirstOne();
    }
  }

  boolean inflightsFull() {
    return inflights != null && inflights.full();
  }

  /** An idle group gives its window back; the next append makes a new one. */
  void releaseInflights() {
    if (inflights != null && inflights.count() == 0) {
      inflights = null;
    }
  }

  void resetInflights() {
    if (inflights != null) {
      inflights.reset();
    }
  }

  boolean alive() {
    return recentActive || activeLastWindow;
  }

  private void resetState(ProgressState s) {
    msgAppFlowPaused = false;
    snapshotWindowPassed = false;
    pendingSnapshot = 0;
    state = s;
    resetInflights();
  }

  void becomeProbe() {
    if (state == ProgressState.SNAPSHOT) {
      long pending = pendingSnapshot;
      resetState(ProgressState.PROBE);
      next = Math.max(match + 1, pending + 1);
    } else {
      resetState(ProgressState.PROBE);
      next = match + 1;
    }
  }

  /**
   * The follower answered with an empty log although it had matched entries: its replica was lost
   * and created again empty (the embedding re-creates a member's lost replica). What it matched is
   * gone, so probing restarts from scratch, which leads to a snapshot.
   */
  void forgetMatch() {
    resetState(ProgressState.PROBE);
    match = 0;
    next = 1;
  }

  void becomeReplicate() {
    resetState(ProgressState.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    resetState(ProgressState.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /** Accounts for an append just sent: {@code lastIndex} is its last entry's index. */
  void sentEntries(int entries, long bytes, long lastIndex) {
    switch (state) {
      case REPLICATE -> {
        if (entries > 0) {
          next = lastIndex + 1;
          if (inflights == null) {
            inflights = new Inflights(tracker.maxInflight, tracker.maxInflightBytes);
          }
          inflights.add(lastIndex, bytes);
        }
      }
      case PROBE -> msgAppFlowPaused = true;
      default -> throw new Invariants.InvariantViolation("sending append in state " + state);
    }
  }

  /** The follower acknowledged up to {@code n}; returns whether that was news. */
  boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      msgAppFlowPaused = false;
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /**
   * The follower rejected an append at {@code rejected}, hinting it matches at most up to
   * {@code matchHint}. Returns false for a stale rejection. Never goes below match (lesson 2).
   */
  boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == ProgressState.REPLICATE) {
      if (rejected <= match) {
        return false; // stale: we already know it matches there
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false; // not the probe we are waiting for
    }
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    msgAppFlowPaused = false;
    return true;
  }

  boolean isPaused() {
    return switch (state) {
      case PROBE -> msgAppFlowPaused;
      case REPLICATE -> inflightsFull();
      case SNAPSHOT -> true;
    };
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(state).append(" match=").append(match).append(" next=").append(next);
    if (isLearner) {
      sb.append(" learner");
    }
    if (isPaused()) {
      sb.append(" paused");
    }
    if (pendingSnapshot > 0) {
      sb.append(" pendingSnap=").append(pendingSnapshot);
    }
    if (!recentActive) {
      sb.append(" inactive");
    }
    if (inflightCount() > 0) {
      sb.append(" inflight=").append(inflightCount());
      if (inflightsFull()) {
        sb.append("[full]");
      }
    }
    return sb.toString();
  }
}
