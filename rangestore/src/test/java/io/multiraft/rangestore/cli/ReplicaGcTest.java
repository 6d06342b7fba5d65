package io.multiraft.rangestore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.rangestore.Await;
import io.multiraft.rangestore.admin.ReplicaGc;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server's replica collector, over real sockets: it repairs its own node, from the other nodes' reports. */
class ReplicaGcTest {
  @TempDir
  Path dir;

  private static boolean hosts(NettyNodes c, long node, long range) {
    try {
      c.node(node).raft().status(range).join();
      return true;
    } catch (CompletionException e) {
      return false;
    }
  }

  @Test
  void aReplicaTheLeaderDoesNotListIsDroppedByItsOwnNodeOnly() throws Exception {
    try (NettyNodes c = new NettyNodes(dir, 4, 3, id -> null)) {
      // Node 4 holds a replica of range 1 that no membership lists: what a node keeps when it was
      // removed while it was away (it never hears of the removal).
      c.node(4).prepareReplica(1).join();
      assertTrue(hosts(c, 4, 1));
      // Node 1's collector repairs node 1 only: it leaves node 4's replica alone.
      ReplicaGc other = ReplicaGc.start(c.node(1), c.peersOf(1), null, 50);
      ReplicaGc own = null;
      try {
        Await.await("node 1's collector swept twice", () -> other.sweeps() >= 3);
        assertTrue(hosts(c, 4, 1), "node 1 must not drop another node's replica");
        assertEquals(0, other.dropped());
        own = ReplicaGc.start(c.node(4), c.peersOf(4), null, 50);
        ReplicaGc gc4 = own;
        Await.await("node 4 drops its stale replica", () -> gc4.dropped() == 1);
        assertFalse(hosts(c, 4, 1));
        for (long n = 1; n <= 3; n++) {
          assertTrue(hosts(c, n, 1), "member n" + n + " keeps its replica");
        }
        assertFalse(c.node(4).localRangeIds().contains(1L));
      } finally {
        other.close();
        if (own != null) {
          own.close();
        }
      }
    }
  }
}
