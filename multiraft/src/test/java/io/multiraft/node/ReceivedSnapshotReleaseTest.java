package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.ChunkedSnapshot;
import io.multiraft.spi.SnapshotReader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A received snapshot may hold staged files until it is released: Raft releases the one it restores
 * from after the restore; the runtime must release the ones it ignores, or their files stay on disk.
 */
class ReceivedSnapshotReleaseTest {
  private static final long GROUP = 7;

  /** Chunked data of a CountingStateMachine snapshot that counts how often it was freed. */
  private static final class Staged extends ChunkedSnapshot {
    final AtomicInteger frees = new AtomicInteger();

    @Override
    public SnapshotReader open() {
      ByteBuffer data = ByteBuffer.allocate(24).putLong(5).putLong(55).putLong(10).flip();
      return new SnapshotReader() {
        boolean done;

        @Override
        public ByteBuffer next() {
          if (done) {
            return null;
          }
          done = true;
          return data;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    protected void free() {
      frees.incrementAndGet();
    }
  }

  private static Message snapshot(long group, long term, long index, ConfState conf, Staged data) {
    return new Message(group, MessageType.SNAPSHOT, 2, 1, term, 0, 0, null, 0, false, 0,
        new Snapshot(new SnapshotMeta(index, term, conf), data), 0);
  }

  private static void settle(MultiRaftNode node, long nowNs) {
    for (int i = 0; i < 1_000; i++) {
      if (node.pump(nowNs) == 0) {
        return;
      }
    }
    throw new AssertionError("node did not settle");
  }

  /** One node, one worker pumped by the test, hosting GROUP with voters 1, 2, 3. */
  private static MultiRaftNode nodeWithGroup(InboundCapture t, long[] now) {
    MultiRaftNode node = new MultiRaftNode(NodeConfig.builder(1).workers(1).threaded(false).seed(1).build(),
        new MemoryLogStore(), t, g -> new CountingStateMachine(null, null), () -> now[0]);
    var created = node.createGroup(GROUP, Set.of(1L, 2L, 3L));
    settle(node, now[0]);
    assertTrue(created.isDone(), "group created");
    return node;
  }

  @Test
  void ignoredSnapshotsAreReleasedAndARestoredOneOnlyAfterItsRestore() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    MultiRaftNode node = nodeWithGroup(t, now);
    try {

      Staged notMember = new Staged();
      Staged noGroup = new Staged();
      Staged restored = new Staged();
      t.inbound.receive(2, List.of(
          snapshot(GROUP, 2, 10, ConfState.ofVoters(2, 3, 4), notMember),
          snapshot(99, 2, 10, ConfState.ofVoters(1, 2, 3), noGroup),
          snapshot(GROUP, 2, 10, ConfState.ofVoters(1, 2, 3), restored)));
      settle(node, now[0]);
      assertEquals(1, notMember.frees.get(), "a snapshot from a configuration without us is released");
      assertEquals(1, noGroup.frees.get(), "a snapshot for a group not hosted here is released");
      assertEquals(1, restored.frees.get(), "the restored snapshot is released once, after its restore");
      assertFalse(restored.live());
      var status = node.status(GROUP);
      settle(node, now[0]);
      assertTrue(status.join().commit() >= 10, "restored to the snapshot's index");

      Staged stale = new Staged();
      t.inbound.receive(2, List.of(snapshot(GROUP, 2, 8, ConfState.ofVoters(1, 2, 3), stale)));
      settle(node, now[0]);
      assertEquals(1, stale.frees.get(), "a snapshot older than the log is released");
    } finally {
      node.close();
    }
  }

  @Test
  void aSnapshotReplacedBeforeItsReadyIsReleased() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    MultiRaftNode node = nodeWithGroup(t, now);
    try {
      Staged older = new Staged();
      Staged newer = new Staged();
      // Both arrive in one delivery: the group takes the first, then the second takes its place
      // before any Ready hands the first out for restoring.
      t.inbound.receive(2, List.of(
          snapshot(GROUP, 6, 20, ConfState.ofVoters(1, 2, 3), older),
          snapshot(GROUP, 6, 30, ConfState.ofVoters(1, 2, 3), newer)));
      settle(node, now[0]);
      var status = node.status(GROUP);
      settle(node, now[0]);
      assertEquals(30, status.join().commit(), "restored to the newer snapshot");
      assertEquals(1, older.frees.get(), "the replaced snapshot is released");
      assertEquals(1, newer.frees.get(), "the restored one is released once, after its restore");
    } finally {
      node.close();
    }
  }

  @Test
  void snapshotsStillQueuedWhenTheNodeClosesAreReleased() {
    InboundCapture t = new InboundCapture();
    long[] now = {1_000_000_000L};
    MultiRaftNode node = nodeWithGroup(t, now);
    Staged queued = new Staged();
    t.inbound.receive(2, List.of(snapshot(GROUP, 2, 10, ConfState.ofVoters(1, 2, 3), queued)));
    node.close(); // never pumped: the delivery is still in the worker's queue
    assertEquals(1, queued.frees.get(), "a delivery the node will never handle gives its snapshot back");
  }
}
