package io.multiraft.sim.lin;

import java.util.Objects;

/**
 * One client operation on one key as seen from outside the system: what was asked, what came back
 * and the virtual-time interval within which it must have taken effect.
 *
 * <p>Values are {@code Long}s and {@code null} means "the key is absent", so a WRITE of null deletes
 * the key and a CAS expecting null succeeds only on an absent key.
 *
 * @param id position in the {@link History} that recorded it; only used to name it in reports
 * @param input WRITE: the value written; CAS: the new value; READ: null
 * @param expected CAS: the value it expected to find; otherwise null
 * @param output READ: the value read; otherwise null
 * @param succeeded CAS: whether it swapped; ignored for READ and WRITE
 * @param callTime when the client sent it (virtual nanoseconds)
 * @param returnTime when the client got the answer, or {@link #NEVER} if {@code unknown}
 * @param unknown the client never learned the outcome (timeout, ambiguous failure): the effect may or
 *     may not have happened, at any time after the call, and {@code output}/{@code succeeded} mean
 *     nothing
 */
public record Operation(
    int id,
    int clientId,
    String key,
    OpKind kind,
    Long input,
    Long expected,
    Long output,
    boolean succeeded,
    long callTime,
    long returnTime,
    boolean unknown) {

  /**
   * The return time of an operation whose outcome is unknown: it stays concurrent with everything
   * called after it.
   */
  public static final long NEVER = Long.MAX_VALUE;

  public Operation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    if (unknown && returnTime != NEVER) {
      throw new IllegalArgumentException("an unknown-outcome operation never returns: " + returnTime);
    }
    // NEVER is reserved so that the checker can tell unknown operations apart by their return alone
    if (!unknown && (returnTime == NEVER || returnTime < callTime)) {
      throw new IllegalArgumentException("return time " + returnTime + " for call time " + callTime);
    }
    if (kind == OpKind.READ && input != null) {
      throw new IllegalArgumentException("a READ has no input");
    }
    if (kind != OpKind.CAS && expected != null) {
      throw new IllegalArgumentException("only a CAS has an expected value");
    }
    if ((kind != OpKind.READ || unknown) && output != null) {
      throw new IllegalArgumentException("only a READ with a known outcome has an output");
    }
  }

  @Override
  public String toString() {
    String what = switch (kind) {
      case READ -> "READ" + (unknown ? "" : " -> " + show(output));
      case WRITE -> "WRITE(" + show(input) + ")";
      case CAS -> "CAS(" + show(expected) + " -> " + show(input) + ")"
          + (unknown ? "" : succeeded ? " ok" : " failed");
    };
    String end = unknown ? "inf) outcome unknown" : returnTime + "]";
    return "#" + id + " client " + clientId + " key " + key + " " + what + " [" + callTime + ", " + end;
  }

  static String show(Long value) {
    return value == null ? "absent" : value.toString();
  }
}
