package io.multiraft.sim.lin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Records what clients saw: each invocation, then its return, unknown outcome or definite failure.
 * Events may be recorded in any order; only their times matter to the checker.
 *
 * <p>The int handed back by each {@code invoke*} identifies the operation in its return and becomes
 * {@link Operation#id()}.
 */
public final class History {

  private enum Status { PENDING, RETURNED, UNKNOWN, FAILED }

  /** Mutable while the operation is in flight; frozen into an {@link Operation} on demand. */
  private static final class Slot {
    final int clientId;
    final String key;
    final OpKind kind;
    final Long input;
    final Long expected;
    final long callTime;
    Status status = Status.PENDING;
    Long output;
    boolean succeeded;
    long returnTime = Operation.NEVER;

    Slot(int clientId, String key, OpKind kind, Long input, Long expected, long callTime) {
      this.clientId = clientId;
      this.key = Objects.requireNonNull(key, "key");
      this.kind = kind;
      this.input = input;
      this.expected = expected;
      this.callTime = callTime;
    }
  }

  private final List<Slot> slots = new ArrayList<>();

  public int invokeRead(int clientId, String key, long time) {
    return invoke(new Slot(clientId, key, OpKind.READ, null, null, time));
  }

  /** A null value deletes the key. */
  public int invokeWrite(int clientId, String key, Long value, long time) {
    return invoke(new Slot(clientId, key, OpKind.WRITE, value, null, time));
  }

  /** A null {@code expected} means "only if the key is absent". */
  public int invokeCas(int clientId, String key, Long expected, Long newValue, long time) {
    return invoke(new Slot(clientId, key, OpKind.CAS, newValue, expected, time));
  }

  public void returnRead(int op, Long value, long time) {
    complete(op, OpKind.READ, time).output = value;
  }

  public void returnWrite(int op, long time) {
    complete(op, OpKind.WRITE, time);
  }

  public void returnCas(int op, boolean succeeded, long time) {
    complete(op, OpKind.CAS, time).succeeded = succeeded;
  }

  /** The client gave up without learning whether the operation took effect (timeout, lost reply). */
  public void returnUnknown(int op) {
    pending(op).status = Status.UNKNOWN;
  }

  /**
   * The operation certainly had no effect (rejected before it was proposed, say), so it is left out
   * of the history altogether. Only use this when "no effect" is a guarantee: if in doubt, it is
   * {@link #returnUnknown}.
   */
  public void returnFailed(int op) {
    pending(op).status = Status.FAILED;
  }

  /** A completed READ, for histories written by hand. Returns its id. */
  public int read(int clientId, String key, long callTime, long returnTime, Long value) {
    int op = invokeRead(clientId, key, callTime);
    returnRead(op, value, returnTime);
    return op;
  }

  /** A completed WRITE, for histories written by hand. Returns its id. */
  public int write(int clientId, String key, Long value, long callTime, long returnTime) {
    int op = invokeWrite(clientId, key, value, callTime);
    returnWrite(op, returnTime);
    return op;
  }

  /** A completed CAS, for histories written by hand. Returns its id. */
  public int cas(int clientId, String key, Long expected, Long newValue, boolean succeeded,
      long callTime, long returnTime) {
    int op = invokeCas(clientId, key, expected, newValue, callTime);
    returnCas(op, succeeded, returnTime);
    return op;
  }

  /** A WRITE whose outcome the client never learned, for histories written by hand. Returns its id. */
  public int unknownWrite(int clientId, String key, Long value, long callTime) {
    int op = invokeWrite(clientId, key, value, callTime);
    returnUnknown(op);
    return op;
  }

  /** A CAS whose outcome the client never learned, for histories written by hand. Returns its id. */
  public int unknownCas(int clientId, String key, Long expected, Long newValue, long callTime) {
    int op = invokeCas(clientId, key, expected, newValue, callTime);
    returnUnknown(op);
    return op;
  }

  /**
   * The operations recorded so far, in id order, without the definitely failed ones. Operations still
   * pending count as unknown: the history ended before they answered, so they may or may not have
   * taken effect.
   */
  public List<Operation> operations() {
    List<Operation> out = new ArrayList<>(slots.size());
    for (int id = 0; id < slots.size(); id++) {
      Slot s = slots.get(id);
      if (s.status == Status.FAILED) {
        continue;
      }
      boolean unknown = s.status != Status.RETURNED;
      out.add(new Operation(id, s.clientId, s.key, s.kind, s.input, s.expected,
          unknown ? null : s.output, !unknown && s.succeeded,
          s.callTime, unknown ? Operation.NEVER : s.returnTime, unknown));
    }
    return out;
  }

  private int invoke(Slot slot) {
    slots.add(slot);
    return slots.size() - 1;
  }

  private Slot complete(int op, OpKind kind, long time) {
    Slot s = pending(op);
    if (s.kind != kind) {
      throw new IllegalArgumentException("operation " + op + " is a " + s.kind + ", not a " + kind);
    }
    // checked here rather than in Operation so the mistake surfaces where it is made
    if (time < s.callTime || time == Operation.NEVER) {
      throw new IllegalArgumentException(
          "operation " + op + " called at " + s.callTime + " cannot return at " + time);
    }
    s.status = Status.RETURNED;
    s.returnTime = time;
    return s;
  }

  private Slot pending(int op) {
    if (op < 0 || op >= slots.size()) {
      throw new IllegalArgumentException("no operation " + op);
    }
    Slot s = slots.get(op);
    if (s.status != Status.PENDING) {
      throw new IllegalStateException("operation " + op + " already ended: " + s.status);
    }
    return s;
  }
}
