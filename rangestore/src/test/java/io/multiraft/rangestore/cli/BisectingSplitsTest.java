package io.multiraft.rangestore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BisectingSplitsTest {

  private static List<byte[]> keys(int n) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      keys.add(String.format("k%04d", i).getBytes(StandardCharsets.UTF_8));
    }
    return keys;
  }

  /** A key space whose ranges start at the split keys; a split of a range already splitting is a conflict. */
  private static final class FakeRanges {
    final TreeSet<String> starts = new TreeSet<>(Set.of(""));
    final Set<String> busy = new HashSet<>();
    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    int inFlight;

    void split(byte[] key) {
      String k = new String(key, StandardCharsets.UTF_8);
      String range;
      synchronized (this) {
        range = starts.floor(k);
        if (!busy.add(range)) {
          conflicts.incrementAndGet();
        }
        maxInFlight.accumulateAndGet(++inFlight, Math::max);
      }
      Thread.onSpinWait(); // widen the window a little; correctness does not depend on it
      synchronized (this) {
        if (!starts.add(k)) {
          throw new IllegalStateException("split twice at " + k);
        }
        busy.remove(range);
        inFlight--;
      }
    }
  }

  @Test
  void everyKeyIsSplitOnceAndNoTwoSplitsMeetInOneRange() throws Exception {
    FakeRanges r = new FakeRanges();
    BisectingSplits.run(r::split, keys(999), 8);
    assertEquals(1000, r.starts.size());
    assertEquals(0, r.conflicts.get(), "two splits ran in the same range at once");
  }

  @Test
  void theFirstFailureIsThrownAfterTheRunningSplitsFinish() {
    AtomicInteger calls = new AtomicInteger();
    RuntimeException boom = new RuntimeException("range moving");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> BisectingSplits.run(k -> {
      if (calls.incrementAndGet() == 3) {
        throw boom;
      }
    }, keys(100), 4));
    assertEquals(boom, thrown);
    assertTrue(calls.get() < 100, "splits went on after a failure: " + calls.get());
  }

  @Test
  void zeroThreadsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BisectingSplits.run(k -> { }, keys(3), 0));
  }
}
