package io.multiraft.core;

import static io.multiraft.core.ClusterOps.sentSince;
import static io.multiraft.core.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lessons 8–10 of /work/shared/LESSONS.md: sending snapshots. */
class LessonsSnapshotTest {

  /**
   * Elects 1, cuts 3 off while entries commit, then snapshots and compacts the leader's log past
   * what 3 has, and heals: 3 can only be caught up by a snapshot. Returns the snapshot index.
   */
  private static long leaveThreeBehindCompaction(TestCluster c, MemoryStorage leaderStorage) {
    c.elect(1);
    c.isolate(3);
    for (int i = 0; i < 5; i++) {
      c.group(1).propose(bytes("p" + i));
    }
    c.stabilize();
    long committed = c.group(1).commitIndex();
    leaderStorage.createSnapshot(committed, c.group(1).confState(), bytes("state"));
    leaderStorage.compact(committed);
    c.heal();
    return committed;
  }

  private static Progress progressOf3(TestCluster c) {
    return c.group(1).raft().trk.get(3);
  }

  private static boolean snapshotTo3(Message m) {
    return m.type == MessageType.SNAPSHOT && m.to == 3;
  }

  // ---------------------------------------------------------------- lesson 8

  // Breaks if a successful report leaves the follower in SNAPSHOT state, or lets appends flow before
  // the follower answers a heartbeat.
  @Test
  void lesson08_snapshotReportOkResumesInProbePausedUntilHeartbeatResponse() {
    TestCluster c = new TestCluster(3);
    long snapIndex = leaveThreeBehindCompaction(c, c.node(1).storage);
    List<Message> inTransit = new ArrayList<>();
    c.tick(1);
    ClusterOps.stabilize(c, m -> snapshotTo3(m) && inTransit.add(m)); // the transport holds the snapshot
    assertEquals(1, inTransit.size());
    Progress pr = progressOf3(c);
    assertEquals(ProgressState.SNAPSHOT, pr.state);

    // The transport delivers it; the follower's answer is still on its way when the link reports.
    c.group(3).step(inTransit.get(0));
    c.processReady(3);
    c.network.clear();
    c.group(1).reportSnapshot(3, true);
    assertEquals(ProgressState.PROBE, pr.state);
    assertEquals(snapIndex + 1, pr.next, "optimistically continue after the snapshot");
    assertTrue(pr.isPaused(), "no appends until the follower shows it is ready");

    int mark = c.sent.size();
    c.group(1).propose(bytes("after"));
    c.stabilize();
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.APPEND && m.to == 3).isEmpty(),
        "a follower still installing the snapshot must not be sent appends");
    assertEquals(List.of("p0", "p1", "p2", "p3", "p4", "after"), c.appliedData(2));

    mark = c.sent.size();
    c.tick(1);
    c.stabilize();
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.APPEND && m.to == 3).size() >= 1);
    assertEquals(List.of("after"), c.appliedData(3));
    assertEquals(ProgressState.REPLICATE, pr.state);
  }

  // Breaks if a failed report does not lead to sending the snapshot again.
  @Test
  void lesson08_snapshotReportFailureSendsItAgainLater() {
    TestCluster c = new TestCluster(3);
    long snapIndex = leaveThreeBehindCompaction(c, c.node(1).storage);
    c.tick(1);
    ClusterOps.stabilize(c, LessonsSnapshotTest::snapshotTo3); // the transfer is lost
    Progress pr = progressOf3(c);
    assertEquals(ProgressState.SNAPSHOT, pr.state);

    c.group(1).reportSnapshot(3, false);
    assertEquals(ProgressState.PROBE, pr.state);
    assertEquals(0, pr.pendingSnapshot);
    assertTrue(pr.isPaused());

    int mark = c.sent.size();
    c.tick(1);
    c.stabilize();
    assertEquals(1, sentSince(c, mark, LessonsSnapshotTest::snapshotTo3).size(), "the snapshot is sent again");
    assertEquals(snapIndex, c.group(3).commitIndex());
    c.group(1).reportSnapshot(3, true); // late report after the follower already answered: ignored
    assertEquals(ProgressState.REPLICATE, pr.state);
  }

  // Breaks if a snapshot whose fate the link never reports pauses the follower forever.
  @Test
  void lesson08_unreportedSnapshotResumesInProbeAfterAnElectionTimeout() {
    TestCluster c = new TestCluster(3);
    leaveThreeBehindCompaction(c, c.node(1).storage);
    int mark = c.sent.size();
    c.tick(1);
    ClusterOps.stabilize(c, LessonsSnapshotTest::snapshotTo3); // lost, and nobody reports it
    assertEquals(ProgressState.SNAPSHOT, progressOf3(c).state);
    assertEquals(1, sentSince(c, mark, LessonsSnapshotTest::snapshotTo3).size());
    int electionTicks = 10;
    for (int i = 0; i < 3 * electionTicks; i++) {
      c.tick(1);
      ClusterOps.stabilize(c, LessonsSnapshotTest::snapshotTo3);
    }
    // Without the fallback the follower stays paused in SNAPSHOT state and nothing more is sent.
    assertTrue(sentSince(c, mark, LessonsSnapshotTest::snapshotTo3).size() >= 2,
        "the leader stopped waiting for a report that never came and sent the snapshot again");
  }

  // ---------------------------------------------------------------- lesson 9

  // Breaks if "temporarily unavailable" crashes the group, wedges the follower in SNAPSHOT state, or
  // is not retried once a snapshot can be sent.
  @Test
  void lesson09_snapshotTemporarilyUnavailableIsRetriedLater() {
    TestCluster c = new TestCluster(3);
    MemoryStorage leaderStorage = c.node(1).storage;
    long snapIndex = leaveThreeBehindCompaction(c, leaderStorage);
    leaderStorage.setSnapshotUnavailable(true);
    int mark = c.sent.size();
    c.tick(1);
    c.stabilize();
    assertTrue(c.group(1).counters().snapshotsTemporarilyUnavailable >= 1);
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.SNAPSHOT).isEmpty());
    assertNotEquals(ProgressState.SNAPSHOT, progressOf3(c).state);
    assertEquals(Role.LEADER, c.group(1).role());
    c.group(1).propose(bytes("meanwhile"));
    c.stabilize();
    assertEquals(List.of("p0", "p1", "p2", "p3", "p4", "meanwhile"), c.appliedData(2), "the group keeps working");

    leaderStorage.setSnapshotUnavailable(false);
    mark = c.sent.size();
    c.tick(1);
    c.stabilize();
    assertEquals(1, sentSince(c, mark, LessonsSnapshotTest::snapshotTo3).size(), "retried once available");
    assertTrue(c.group(3).commitIndex() > snapIndex);
    assertEquals(c.group(1).commitIndex(), c.group(3).commitIndex());
    assertEquals(List.of("meanwhile"), c.appliedData(3));
  }

  // ---------------------------------------------------------------- lesson 10

  // Breaks if a RuntimeException from snapshot() escapes into the group (the test would throw).
  @Test
  void lesson10_snapshotThatCannotBeProducedAbortsOnlyThatSend() {
    TestCluster c = new TestCluster(3);
    FaultyStorage fs = new FaultyStorage(c.node(1).storage);
    c.node(1).group = ClusterOps.group(1, fs, b -> { });
    leaveThreeBehindCompaction(c, fs.mem);
    fs.snapshotFailure = new IllegalStateException("disk on fire");
    int mark = c.sent.size();
    c.tick(1);
    c.stabilize();
    assertTrue(fs.snapshotFailures >= 1);
    RaftCounters counters = c.group(1).counters();
    assertTrue(counters.snapshotsFailed >= 1);
    assertTrue(counters.lastSnapshotError.contains("disk on fire"), counters.lastSnapshotError);
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.SNAPSHOT).isEmpty());
    assertEquals(Role.LEADER, c.group(1).role());
    c.group(1).propose(bytes("still"));
    c.stabilize();
    assertEquals(List.of("p0", "p1", "p2", "p3", "p4", "still"), c.appliedData(2), "the group keeps working");

    fs.snapshotFailure = null;
    c.tick(1);
    c.stabilize();
    assertEquals(c.group(1).commitIndex(), c.group(3).commitIndex(), "a later attempt succeeds");
  }
}
