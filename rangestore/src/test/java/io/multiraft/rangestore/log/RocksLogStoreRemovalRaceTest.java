package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.HardState;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.LogBatch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node removes a group (on its apply thread) while a log write of that group may still be on
 * its way to the store. The late write must not fail the store (it used to: "append would leave a
 * gap", found by the range churn test) nor bring the removed group back.
 */
class RocksLogStoreRemovalRaceTest {
  @TempDir Path dir;

  @Test
  void aWritePreparedBeforeARemovalIsDroppedAndTheGroupStaysRemoved() {
    try (RocksLogStore store = RocksLogStore.open(dir)) {
      LogBatch create = store.newBatch();
      create.bootstrap(7, new SnapshotMeta(10, 5, ConfState.ofVoters(1, 2, 3)), new HardState(5, 0, 10));
      store.write(List.of(create), true);
      LogBatch first = store.newBatch();
      first.append(7, TestEntries.entries(7, 11, 20, 5));
      store.write(List.of(first), true);

      LogBatch late = store.newBatch();
      late.append(7, TestEntries.entries(7, 21, 30, 5));
      late.hardState(7, new HardState(5, 1, 30));
      store.removeGroup(7);
      store.write(List.of(late), true);

      assertNull(store.failure());
      assertFalse(store.groups().contains(7L));
      assertEquals(2, store.staleWrites());
      // A group of the same id created after the removal is a new incarnation and is written.
      LogBatch again = store.newBatch();
      again.bootstrap(7, SnapshotMeta.EMPTY, HardState.EMPTY);
      again.hardState(7, new HardState(6, 0, 0));
      store.write(List.of(again), true);
      assertTrue(store.groups().contains(7L));
      assertEquals(0, store.storage(7).lastIndex());
    }
  }
}
