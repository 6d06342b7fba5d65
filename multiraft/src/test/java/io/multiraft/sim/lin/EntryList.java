package io.multiraft.sim.lin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The calls and returns of one partition in time order, linked so that the search can remove and
 * restore operations in constant time.
 */
final class EntryList {

  /**
   * By time; at equal times calls come before returns, so operations that merely touch (one returns
   * at t, another is called at t) count as concurrent. With coarse virtual time we cannot tell which
   * happened first, and claiming an order we do not know would report false violations. Unknown
   * operations return at {@link Operation#NEVER}, after every known return. The operation index
   * breaks the remaining ties so that the search, and so its report, is deterministic.
   */
  static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::time)
      .thenComparing(e -> !e.isCall)
      .thenComparingInt(e -> e.index);

  private final List<Entry> events;
  private final Entry head = Entry.sentinel();

  EntryList(List<Operation> ops) {
    List<Entry> sorted = new ArrayList<>(2 * ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Entry call = new Entry(ops.get(i), i, true);
      Entry ret = new Entry(ops.get(i), i, false);
      call.match = ret;
      ret.match = call;
      sorted.add(call);
      sorted.add(ret);
    }
    sorted.sort(ORDER);
    Entry last = head;
    for (Entry e : sorted) {
      last.next = e;
      e.prev = last;
      last = e;
    }
    events = List.copyOf(sorted);
  }

  /** Every entry in order, including the ones currently lifted out of the list. */
  List<Entry> events() {
    return events;
  }

  /** The first entry still in the list, or null once every operation has been removed. */
  Entry first() {
    return head.next;
  }
}
