package io.multiraft.rangestore.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.ReplicaDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/**
 * A stale replica (its node was away while the range was merged, split or moved) can span keys
 * that now belong to newer ranges this node holds: dropping it must delete only the keys no other
 * local range owns. Found by the range store simulator (the replica collector drops stale replicas).
 */
class StaleReplicaDropTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static RangeState state(long id, String start, String end) {
    ConfState conf = ConfState.of(Set.of(1L), Set.of());
    RangeDescriptor d = new RangeDescriptor(id, b(start), end == null ? null : b(end),
        List.of(new ReplicaDescriptor(1, ReplicaDescriptor.Role.VOTER)), 1);
    return new RangeState(10, 5, conf, d, false);
  }

  @Test
  void keepsTheKeysOfNewerOverlappingRanges() throws Exception {
    try (RocksLogStore store = RocksLogStore.open(dir.resolve("db"))) {
      RangeData data = new RangeData(store.db(), store.dataColumnFamily());
      try (WriteBatch wb = new WriteBatch()) {
        for (String k : List.of("a", "c", "e", "g", "i")) {
          wb.put(store.dataColumnFamily(), DataKeys.user(b(k)), b("v" + k));
        }
        data.write(wb);
      }
      RangeState stale = state(1, "", null); // the whole key space, as it was long ago
      data.writeState(stale);
      RangeState newerA = state(2, "b", "d"); // held here now
      RangeState newerB = state(3, "f", "h");
      data.dropStaleReplica(stale, List.of(newerA.descriptor(), newerB.descriptor()));
      assertNull(data.get(DataKeys.user(b("a"))), "outside every newer range: deleted");
      assertArrayEquals(b("vc"), data.get(DataKeys.user(b("c"))), "owned by range 2: kept");
      assertNull(data.get(DataKeys.user(b("e"))));
      assertArrayEquals(b("vg"), data.get(DataKeys.user(b("g"))), "owned by range 3: kept");
      assertNull(data.get(DataKeys.user(b("i"))));
      assertNull(data.readState(1));
      assertTrue(data.isTombstoned(1));
    }
  }
}
