package io.multiraft.rangestore.range;

/**
 * A range request failed for a reason a client can act on: each subclass says what to do next
 * (refresh the routing and retry, go to another node, or give up because the request is invalid).
 */
public class RangeException extends RuntimeException {
  public RangeException(String message) {
    super(message);
  }

  public RangeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** No range with this id (or covering this key) is known here: refresh the routing table. */
  public static final class RangeNotFound extends RangeException {
    private final long rangeId;

    public RangeNotFound(long rangeId, String detail) {
      super("range " + rangeId + " not found: " + detail);
      this.rangeId = rangeId;
    }

    public long rangeId() {
      return rangeId;
    }
  }

  /** This node does not lead the range: retry at {@link #leaderHint()} (0: unknown, retry after a short wait). */
  public static final class NotLeader extends RangeException {
    private final long rangeId;
    private final long leaderHint;

    public NotLeader(long rangeId, long leaderHint) {
      super("range " + rangeId + ": this node is not the leader; "
          + (leaderHint != 0 ? "retry at node " + leaderHint : "no leader known yet, retry shortly"));
      this.rangeId = rangeId;
      this.leaderHint = leaderHint;
    }

    public long rangeId() {
      return rangeId;
    }

    public long leaderHint() {
      return leaderHint;
    }
  }

  /** The key is outside the range that received it (the range split or merged): re-route with {@link #descriptor()}. */
  public static final class KeyNotInRange extends RangeException {
    private final RangeDescriptor descriptor;

    public KeyNotInRange(byte[] key, RangeDescriptor descriptor) {
      super("key " + Keys.show(key) + " is not in range " + descriptor + "; refresh the routing and retry");
      this.descriptor = descriptor;
    }

    public RangeDescriptor descriptor() {
      return descriptor;
    }
  }

  /** The request is invalid as given (a split key outside the range, a stale generation, ...); nothing was applied. */
  public static class Rejected extends RangeException {
    public Rejected(String message) {
      super(message);
    }
  }

  /**
   * Rejected only because the range changed (split, merged, moved) after the request read its
   * descriptor: re-read it and decide again; a key-addressed split retries by itself.
   */
  public static final class StaleGeneration extends Rejected {
    public StaleGeneration(String message) {
      super(message);
    }
  }

  /** The range is busy with a merge and takes no writes for a moment: retry shortly, re-routing first. */
  public static final class Busy extends RangeException {
    public Busy(String message) {
      super(message);
    }
  }

  /** A write may or may not have taken effect (timeout, interrupted proposal): read back before deciding to retry. */
  public static final class OutcomeUnknown extends RangeException {
    public OutcomeUnknown(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
