package io.multiraft.rangestore.kv;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.ReplicaDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty replica may vote only on a node that never held its range: a range split off while
 * this node lagged arrives as an empty replica, and with two such voters of three the range could
 * never elect (soak seed 99844). A node that held the range once may have acknowledged entries its
 * dropped log forgot: its empty replica stays silent, even after the tombstone is cleared for a
 * new add.
 */
class FormerReplicaTest {
  @TempDir Path dir;

  private static RangeState state(long id) {
    ConfState conf = ConfState.of(Set.of(1L), Set.of());
    RangeDescriptor d = new RangeDescriptor(id, new byte[0], null, List.of(new ReplicaDescriptor(1, ReplicaDescriptor.Role.VOTER)), 1);
    return new RangeState(10, 5, conf, d, false);
  }

  private static RangeStateMachine sm(RangeData data, long id) {
    return new RangeStateMachine(id, 1, data, RangeEvents.NONE);
  }

  @Test
  void onlyANodeThatNeverHeldTheRangeLetsItsEmptyReplicaVote() throws Exception {
    try (RocksLogStore store = RocksLogStore.open(dir.resolve("db"))) {
      RangeData data = new RangeData(store.db(), store.dataColumnFamily());
      assertTrue(sm(data, 7).mayVoteWithoutState(), "never held here: votes like a fresh node");

      data.writeState(state(7));
      assertFalse(sm(data, 7).mayVoteWithoutState(), "holds state: the question does not arise");

      data.dropReplica(state(7)); // removed here: tombstone
      assertFalse(sm(data, 7).mayVoteWithoutState());
      data.clearTombstone(7); // added here again: the tombstone goes, the memory of it stays
      assertFalse(sm(data, 7).mayVoteWithoutState(), "held here before: its empty replica must not vote");

      data.markFormerReplica(8); // an empty replica dropped before it held any state
      assertFalse(sm(data, 8).mayVoteWithoutState(), "it may have voted: the vote went with its log");
      assertTrue(sm(data, 9).mayVoteWithoutState());
    }
  }
}
