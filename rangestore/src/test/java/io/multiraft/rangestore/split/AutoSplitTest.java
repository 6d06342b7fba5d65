package io.multiraft.rangestore.split;

import static io.multiraft.rangestore.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.api.InProcessCluster;
import io.multiraft.rangestore.api.RangeClient;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.kv.RangeSizes;
import io.multiraft.rangestore.range.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Automatic splits in a running cluster, and the size estimates they rest on. */
class AutoSplitTest {
  @TempDir Path dir;

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }


  // Breaks if a range that outgrows the size limit is never split, or if a split loses or moves data.
  @Test
  void aRangeThatGrowsPastTheLimitIsSplitAndKeepsItsData() {
    AutoSplitConfig auto = new AutoSplitConfig(64 * 1024, 0, 100);
    try (InProcessCluster c = InProcessCluster.start(dir, 3, 3, b -> b.autoSplit(auto))) {
      RangeClient client = c.client(10_000);
      byte[] value = new byte[1024];
      Arrays.fill(value, (byte) 'x');
      int keys = 300; // ~300 KiB: several times the limit
      for (int i = 0; i < keys; i++) {
        client.put(k(String.format("key%05d", i)), value);
      }
      await("the range is split", () -> c.node(1).router().ranges().size() > 1);
      long started = 0;
      for (RangeStore s : c.nodes().values()) {
        started += s.autoSplitter().splitsStarted.sum();
      }
      assertTrue(started > 0);
      for (int i = 0; i < keys; i++) {
        assertArrayEquals(value, client.get(k(String.format("key%05d", i))), "key " + i);
      }
    }
  }

  // Breaks if the middle key is not inside the span or does not roughly halve its bytes.
  @Test
  void theMiddleKeyHalvesARangesBytes() {
    try (InProcessCluster c = InProcessCluster.start(dir, 1, 1, b -> b)) {
      RangeClient client = c.client(10_000);
      for (int i = 0; i < 100; i++) {
        client.put(k(String.format("m%03d", i)), new byte[100]);
      }
      RangeSizes sizes = c.node(1).sizes();
      byte[] mid = sizes.middleKey(Keys.MIN, null);
      assertNotNull(mid);
      String m = new String(mid, StandardCharsets.UTF_8);
      assertTrue(m.compareTo("m040") > 0 && m.compareTo("m060") < 0, m);
      assertEquals(null, sizes.middleKey(k("m050"), k("m051")), "one key cannot be split");
      assertArrayEquals(k("m051"), sizes.middleKey(k("m050"), k("m052")));
    }
  }
}
