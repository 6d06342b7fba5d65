package io.multiraft.rangestore.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static RangeDescriptor d(long id, String start, String end, long gen) {
    return new RangeDescriptor(id, k(start), end == null ? null : k(end), List.of(), gen);
  }

  @Test
  void routesKeysThroughSplitsAndIgnoresStaleUpdates() {
    Router r = new Router();
    r.update(new RangeDescriptor(1, Keys.MIN, null, List.of(), 0));
    assertEquals(1, r.lookup(k("zzz")).rangeId());
    // split: left shrinks first, then the right appears
    assertTrue(r.update(d(1, "", "m", 1)));
    assertThrows(RangeException.RangeNotFound.class, () -> r.lookup(k("q")));
    assertTrue(r.update(d(2, "m", null, 1)));
    assertEquals(2, r.lookup(k("q")).rangeId());
    assertEquals(1, r.lookup(k("a")).rangeId());
    // a late copy of the pre-split descriptor changes nothing
    assertFalse(r.update(new RangeDescriptor(1, Keys.MIN, null, List.of(), 0)));
    assertEquals(2, r.lookup(k("q")).rangeId());
    // merge: the left grows over the right with a newer generation and replaces it
    assertTrue(r.update(d(1, "", null, 2)));
    assertEquals(1, r.lookup(k("q")).rangeId());
    assertThrows(RangeException.RangeNotFound.class, () -> r.route(2));
    assertEquals(1, r.size());
  }

  @Test
  void remembersLeaderHints() {
    Router r = new Router();
    r.update(d(5, "a", "c", 0));
    assertEquals(0, r.lookup(k("b")).leaderHint());
    r.noteLeader(5, 3);
    assertEquals(3, r.lookup(k("b")).leaderHint());
    assertEquals(d(5, "a", "c", 0), r.route(5).descriptor());
    r.remove(5);
    assertThrows(RangeException.RangeNotFound.class, () -> r.lookup(k("b")));
  }
}
