package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiraft.rangestore.kv.KvCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new replica of a range of a few megabytes is installed from one snapshot (the SST ingest path). */
class LargeRangeSnapshotTest {
  static final long R = InProcessCluster.FIRST_RANGE;
  @TempDir Path dir;
  InProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aLargeRangeReachesANewReplicaWhole() {
    cluster = InProcessCluster.start(dir, 4, 3, b -> b);
    RangeClient client = cluster.client(30_000);
    byte[] value = new byte[800];
    int keys = 4000;
    for (int i = 0; i < keys; i += 200) {
      List<KvCommand.Op> ops = new ArrayList<>();
      for (int j = i; j < i + 200; j++) {
        value[0] = (byte) j;
        ops.add(new KvCommand.Op(String.format("k%05d", j).getBytes(StandardCharsets.UTF_8), value.clone()));
      }
      client.call(ops.get(0).key(), s -> s.batch(ops));
    }
    ReplicaMover mover = new ReplicaMover(cluster.nodes(), 60_000);
    assertEquals(Set.of(1L, 2L, 3L, 4L), mover.addReplica(R, 4).voters());
    mover.transferLeader(R, 4);
    RangeStore four = cluster.node(4);
    for (int j = 0; j < keys; j += 97) {
      value[0] = (byte) j;
      assertArrayEquals(value, four.get(String.format("k%05d", j).getBytes(StandardCharsets.UTF_8)).join(), "key " + j);
    }
    assertEquals(keys, four.scan(new byte[0], null, keys + 10).join().entries().size());
  }
}
