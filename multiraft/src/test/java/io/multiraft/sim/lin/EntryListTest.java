package io.multiraft.sim.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event order the search walks, and the unlink/relink it relies on to backtrack. */
class EntryListTest {

  private static List<String> order(List<Entry> entries) {
    List<String> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add((e.isCall ? "c" : "r") + e.op.id());
    }
    return out;
  }

  private static List<String> linked(EntryList list) {
    List<Entry> out = new ArrayList<>();
    for (Entry e = list.first(); e != null; e = e.next) {
      out.add(e);
    }
    return order(out);
  }

  @Test
  void eventsAreInTimeOrderWithCallsBeforeReturnsAtEqualTimes() {
    History h = new History();
    h.write(0, "x", 1L, 0, 10); // #0 returns at 10 ...
    h.read(1, "x", 10, 20, 1L); // #1 ... exactly when this is called
    h.read(2, "x", 5, 10, 1L); // #2 returns at 10 too
    h.write(3, "x", 2L, 20, 20); // #3 called and returned at 20, when #1 returns
    EntryList list = new EntryList(h.operations());
    assertEquals(List.of("c0", "c2", "c1", "r0", "r2", "c3", "r1", "r3"), order(list.events()));
    assertEquals(order(list.events()), linked(list));
  }

  @Test
  void unknownReturnsComeAfterEverythingElse() {
    History h = new History();
    h.unknownWrite(0, "x", 1L, 0); // #0
    h.write(1, "x", 2L, 1, Long.MAX_VALUE - 1); // #1: as late as a known return can be
    h.unknownWrite(2, "x", 3L, 2); // #2
    EntryList list = new EntryList(h.operations());
    assertEquals(List.of("c0", "c1", "c2", "r1", "r0", "r2"), order(list.events()));
  }

  @Test
  void callsAndReturnsKnowEachOther() {
    History h = new History();
    h.write(0, "x", 1L, 0, 10);
    EntryList list = new EntryList(h.operations());
    Entry call = list.first();
    assertSame(call.next, call.match);
    assertSame(call, call.match.match);
  }

  @Test
  void liftRemovesAnOperationAndUnliftInReverseOrderRestoresTheList() {
    History h = new History();
    h.write(0, "x", 1L, 0, 10); // #0: its call and return are far apart
    h.write(1, "x", 2L, 1, 2); // #1: its call and return are adjacent
    h.write(2, "x", 3L, 3, 20); // #2: its return is last
    EntryList list = new EntryList(h.operations());
    List<String> all = linked(list);
    assertEquals(List.of("c0", "c1", "r1", "c2", "r0", "r2"), all);

    Entry c1 = list.events().get(1);
    Entry c0 = list.events().get(0);
    Entry c2 = list.events().get(3);
    c1.lift();
    assertEquals(List.of("c0", "c2", "r0", "r2"), linked(list));
    c0.lift();
    assertEquals(List.of("c2", "r2"), linked(list));
    c2.lift();
    assertNull(list.first());

    c2.unlift();
    assertEquals(List.of("c2", "r2"), linked(list));
    c0.unlift();
    c1.unlift();
    assertEquals(all, linked(list));
  }
}
