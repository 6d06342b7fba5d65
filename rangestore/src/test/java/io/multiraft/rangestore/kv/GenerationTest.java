package io.multiraft.rangestore.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiraft.core.ConfState;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A range's generation counts its replica-set changes too, once each, on every replica alike. */
class GenerationTest {
  @TempDir Path dir;
  private RocksLogStore store;
  private RangeData data;
  private long index = MultiRaftNode.INITIAL_INDEX;

  private RangeStateMachine open() {
    store = RocksLogStore.open(dir.resolve("db"));
    data = new RangeData(store.db(), store.dataColumnFamily());
    return new RangeStateMachine(1, 1, data, RangeEvents.NONE);
  }

  private void closeStore() {
    data.close();
    store.close();
    data = null;
    store = null;
  }

  @AfterEach
  void close() {
    if (store != null) {
      closeStore();
    }
  }

  private RangeStateMachine bootstrap() {
    RangeStateMachine sm = open();
    ConfState conf = ConfState.ofVoters(1, 2, 3);
    RangeDescriptor d = new RangeDescriptor(1, Keys.MIN, null, RangeDescriptor.replicasOf(conf), 0);
    try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch()) {
      wb.put(data.cf(), DataKeys.state(1), new RangeState(index, MultiRaftNode.INITIAL_TERM, conf, d, false).encode());
      data.write(wb);
    } catch (org.rocksdb.RocksDBException e) {
      throw new AssertionError(e);
    }
    closeStore();
    return open();
  }

  // Breaks if adding a learner, promoting it or removing a replica leaves the generation alone
  // (a coordinator holding the old descriptor could not tell it is stale).
  @Test
  void everyReplicaSetChangeBumpsTheGenerationOnce() {
    RangeStateMachine sm = bootstrap();
    assertEquals(0, sm.descriptor().generation());
    sm.applyConfChange(++index, 6, ConfState.of(Set.of(1L, 2L, 3L), Set.of(4L))); // learner 4
    assertEquals(1, sm.descriptor().generation());
    sm.applyConfChange(++index, 6, ConfState.ofVoters(1, 2, 3, 4)); // promoted
    assertEquals(2, sm.descriptor().generation());
    sm.applyConfChange(++index, 6, ConfState.ofVoters(2, 3, 4)); // 1 removed (we are node 1: state dropped)
    assertEquals(null, sm.descriptor());
  }

  // Breaks if a membership entry that leaves the replicas as they are (leaving a joint
  // configuration with the same members, a duplicate) is counted as a change.
  @Test
  void aConfigurationWithTheSameReplicasDoesNotBump() {
    RangeStateMachine sm = bootstrap();
    sm.applyConfChange(++index, 6, ConfState.ofVoters(1, 2, 3));
    assertEquals(0, sm.descriptor().generation());
  }

  // Breaks if replaying a configuration entry the state already holds (restart, or the one a
  // restored snapshot carries) bumps it again: replicas would disagree on the generation.
  @Test
  void aReplayedConfigurationEntryDoesNotBumpAgain() {
    RangeStateMachine sm = bootstrap();
    ConfState four = ConfState.ofVoters(1, 2, 3, 4);
    long at = ++index;
    sm.applyConfChange(at, 6, four);
    assertEquals(1, sm.descriptor().generation());
    closeStore();

    RangeStateMachine back = open();
    assertEquals(1, back.descriptor().generation(), "durable with the state");
    back.applyConfChange(at, 6, four); // the same entry again
    assertEquals(1, back.descriptor().generation());
  }
}
