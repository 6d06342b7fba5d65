package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void threeNodesElectAndReplicate() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    assertEquals(ProposeResult.ACCEPTED, c.group(1).propose(TestCluster.bytes("a")));
    assertEquals(ProposeResult.ACCEPTED, c.group(1).propose(TestCluster.bytes("b")));
    c.stabilize();
    for (long id = 1; id <= 3; id++) {
      assertEquals(List.of("a", "b"), c.appliedData(id), "node " + id);
      assertEquals(1, c.group(id).leader());
    }
  }

  @Test
  void singleNodeElectsItself() {
    TestCluster c = new TestCluster(1);
    c.elect(1);
    c.group(1).propose(TestCluster.bytes("x"));
    c.stabilize();
    assertEquals(List.of("x"), c.appliedData(1));
  }

  @Test
  void electionByTicks() {
    TestCluster c = new TestCluster(5);
    for (int i = 0; i < 100 && c.group(1).leader() == 0; i++) {
      c.tickAll(1);
      c.stabilize();
    }
    long leader = c.group(1).leader();
    for (long id = 1; id <= 5; id++) {
      assertEquals(leader, c.group(id).leader());
    }
  }
}
