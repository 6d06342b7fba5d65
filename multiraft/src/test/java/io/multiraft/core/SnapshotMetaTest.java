package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every group keeps its last snapshot's metadata: equal memberships must share one instance. */
class SnapshotMetaTest {
  @Test
  void groupsWithTheSameMembersShareTheirConfState() {
    SnapshotMeta a = new SnapshotMeta(10, 5, ConfState.of(Set.of(1L, 2L, 3L), Set.of()));
    SnapshotMeta b = new SnapshotMeta(10, 5, ConfState.of(Set.of(3L, 2L, 1L), Set.of()));
    assertSame(a.confState(), b.confState());
  }
}
