package io.multiraft.rangestore.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.ReplicaDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The split trigger's decisions, on a fake clock and a fake store. */
class AutoSplitterTest {
  private static final long SECOND = 1_000_000_000L;

  /** A store whose ranges, sizes and applied indexes the test sets; it records the splits asked. */
  static final class FakeRanges implements AutoSplitter.Ranges {
    final List<RangeDescriptor> led = new ArrayList<>();
    final Map<Long, Long> bytes = new HashMap<>();
    final Map<Long, Long> applied = new HashMap<>();
    final Map<Long, byte[]> middle = new HashMap<>();
    final List<String> splits = new ArrayList<>();
    final List<CompletableFuture<Void>> pending = new ArrayList<>();

    RangeDescriptor range(long id) {
      RangeDescriptor d = new RangeDescriptor(id, k("a" + id), k("b" + id),
          List.of(new ReplicaDescriptor(1, ReplicaDescriptor.Role.VOTER)), 0);
      led.add(d);
      bytes.put(id, 0L);
      applied.put(id, 0L);
      middle.put(id, k("m" + id));
      return d;
    }

    @Override public List<RangeDescriptor> ledHere() { return led; }
    @Override public long appliedIndex(long rangeId) { return applied.get(rangeId); }
    @Override public long approximateBytes(RangeDescriptor d) { return bytes.get(d.rangeId()); }
    @Override public byte[] middleKey(RangeDescriptor d) { return middle.get(d.rangeId()); }

    @Override
    public CompletableFuture<?> split(RangeDescriptor d, byte[] key) {
      splits.add(d.rangeId() + "@" + new String(key, StandardCharsets.UTF_8));
      CompletableFuture<Void> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private final long[] now = {0};
  private final FakeRanges ranges = new FakeRanges();

  private AutoSplitter splitter(long maxBytes, long maxWrites) {
    return new AutoSplitter(new AutoSplitConfig(maxBytes, maxWrites, 1000), () -> now[0], ranges);
  }

  // Breaks if a range past the size threshold is not split at its middle key, or a small one is.
  @Test
  void aRangeLargerThanTheLimitIsSplitAtItsMiddleKey() {
    AutoSplitter s = splitter(1000, 0);
    ranges.range(1);
    ranges.range(2);
    ranges.bytes.put(1L, 999L);
    ranges.bytes.put(2L, 1001L);
    assertEquals(1, s.check());
    assertEquals(List.of("2@m2"), ranges.splits);
    assertArrayEquals(k("m2"), ranges.middleKey(ranges.led.get(1)));
  }

  // Breaks if a range is split again while its split is in flight (a burst of identical splits),
  // or never again after a failed one.
  @Test
  void oneSplitInFlightPerRange() {
    AutoSplitter s = splitter(1000, 0);
    ranges.range(1);
    ranges.bytes.put(1L, 5000L);
    assertEquals(1, s.check());
    assertEquals(0, s.check(), "the first split has not completed");
    ranges.pending.get(0).completeExceptionally(new IllegalStateException("lost leadership"));
    assertEquals(1, s.splitsFailed.sum());
    assertEquals(1, s.check(), "tried again after the failure");
    assertEquals(2, s.splitsStarted.sum());
  }

  // Breaks if the write rate is not measured on the injected clock between two checks.
  @Test
  void aRangeWrittenFasterThanTheLimitIsSplit() {
    AutoSplitter s = splitter(0, 500);
    ranges.range(1);
    assertEquals(0, s.check(), "the first check only samples");
    now[0] += 10 * SECOND;
    ranges.applied.put(1L, 1000L); // 100 writes/s
    assertEquals(0, s.check());
    now[0] += SECOND;
    ranges.applied.put(1L, 2000L); // 1000 writes/s
    assertEquals(1, s.check());
    assertEquals(List.of("1@m1"), ranges.splits);
  }

  // Breaks if a range that cannot be split (one huge key) is "split" anyway, or counted.
  @Test
  void aRangeWithoutAMiddleKeyIsLeftAlone() {
    AutoSplitter s = splitter(1000, 0);
    ranges.range(1);
    ranges.bytes.put(1L, 5000L);
    ranges.middle.put(1L, null);
    assertEquals(0, s.check());
    assertEquals(0, s.splitsStarted.sum());
  }

  // Breaks if ranges this node does not lead are split: only their leader's node checks them.
  @Test
  void onlyRangesLedHereAreChecked() {
    AutoSplitter s = splitter(1000, 0);
    ranges.range(1);
    ranges.bytes.put(1L, 5000L);
    ranges.led.clear();
    assertEquals(0, s.check());
  }

  // Breaks if the default configuration splits anything.
  @Test
  void offByDefault() {
    assertEquals(false, AutoSplitConfig.OFF.enabled());
    assertEquals(false, new AutoSplitConfig(1000, 0, 0).enabled(), "no interval, no checks");
  }
}
