package io.multiraft.sim.lin;

/**
 * The call or the return of one operation, as a node of the doubly linked {@link EntryList}. The
 * search removes an operation by unlinking both its entries and puts it back by relinking them,
 * which is why removed entries keep their own links.
 */
final class Entry {

  final Operation op;
  /** Dense position of the operation within its partition: its bit in the set of linearized ops. */
  final int index;
  final boolean isCall;
  Entry match;
  Entry prev;
  Entry next;

  Entry(Operation op, int index, boolean isCall) {
    this.op = op;
    this.index = index;
    this.isCall = isCall;
  }

  static Entry sentinel() {
    return new Entry(null, -1, false);
  }

  long time() {
    return isCall ? op.callTime() : op.returnTime();
  }

  /** Takes this call and its return out of the list (this must be a call). */
  void lift() {
    prev.next = next;
    next.prev = prev; // a call's return comes after it, so next is never null
    match.prev.next = match.next;
    if (match.next != null) {
      match.next.prev = match.prev;
    }
  }

  /** Undoes {@link #lift}; only valid in the reverse order of the lifts, as a stack unwinds. */
  void unlift() {
    match.prev.next = match;
    if (match.next != null) {
      match.next.prev = match;
    }
    prev.next = this;
    next.prev = this;
  }

  @Override
  public String toString() {
    return (isCall ? "call " : "return ") + op;
  }
}
