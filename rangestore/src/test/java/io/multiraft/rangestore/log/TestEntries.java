package io.multiraft.rangestore.log;

import io.multiraft.core.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Entries whose data names their own position, so any misplaced or stale entry is recognisable. */
final class TestEntries {
  private TestEntries() {}

  static byte[] payload(long group, long index, long term, int padTo) {
    byte[] id = (group + "/" + index + "@" + term + ";").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[Math.max(padTo, id.length)];
    System.arraycopy(id, 0, out, 0, id.length);
    for (int i = id.length; i < out.length; i++) {
      out[i] = (byte) (index * 31 + i);
    }
    return out;
  }

  static List<Entry> entries(long group, long from, long to, long term, int padTo) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(Entry.normal(term, i, payload(group, i, term, padTo)));
    }
    return out;
  }

  static List<Entry> entries(long group, long from, long to, long term) {
    return entries(group, from, to, term, 0);
  }

  /** Whether {@code e} is the entry written for (group, its index, its term). */
  static boolean isGenuine(long group, Entry e) {
    byte[] expect = payload(group, e.index(), e.term(), 0);
    if (e.data().length < expect.length) {
      return false;
    }
    for (int i = 0; i < expect.length; i++) {
      if (e.data()[i] != expect[i]) {
        return false;
      }
    }
    return true;
  }
}
