package io.multiraft.core;

import static io.multiraft.core.ClusterOps.sentSince;
import static io.multiraft.core.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Lessons 1–7 of /work/shared/LESSONS.md: replication and flow control. */
class LessonsReplicationTest {

  private static Predicate<Message> appendTo(long to) {
    return m -> m.type == MessageType.APPEND && m.from == 1 && m.to == to;
  }

  // ---------------------------------------------------------------- lesson 1

  // Breaks if a heartbeat response no longer frees a slot of a full window: no append would follow.
  @Test
  void lesson01_inflightWindowHeartbeatFreesSlot() {
    TestCluster c = new TestCluster(3, b -> b.maxInflightMsgs(2), 1);
    c.elect(1);
    Predicate<Message> lostAcksFrom2 = m -> m.type == MessageType.APPEND_RESPONSE && m.from == 2;
    c.group(1).propose(bytes("a"));
    ClusterOps.stabilize(c, lostAcksFrom2);
    c.group(1).propose(bytes("b"));
    ClusterOps.stabilize(c, lostAcksFrom2);
    Progress pr = c.group(1).raft().trk.get(2);
    assertEquals(ProgressState.REPLICATE, pr.state);
    assertEquals(2, pr.inflightCount());
    assertTrue(pr.isPaused(), "two unacknowledged appends fill a window of two");

    int mark = c.sent.size();
    c.group(1).propose(bytes("c"));
    ClusterOps.stabilize(c, lostAcksFrom2);
    assertTrue(sentSince(c, mark, appendTo(2)).isEmpty(), "a full window sends nothing");
    assertTrue(c.group(2).lastIndex() < c.group(1).lastIndex());

    mark = c.sent.size();
    c.tick(1); // heartbeat; its response proves 2 alive
    ClusterOps.stabilize(c, lostAcksFrom2);
    List<Message> appends = sentSince(c, mark, appendTo(2));
    assertFalse(appends.isEmpty(), "the heartbeat response must free a slot and resume sending");
    assertEquals(c.group(1).lastIndex(), c.group(2).lastIndex());
  }

  // Breaks if append responses no longer slide the window (freeLE on ack).
  @Test
  void lesson01_appendResponseSlidesTheWindow() {
    TestCluster c = new TestCluster(3, b -> b.maxInflightMsgs(2), 1);
    c.elect(1);
    for (int i = 0; i < 10; i++) {
      c.group(1).propose(bytes("x" + i));
      c.stabilize();
    }
    assertEquals(10, c.appliedData(2).size(), "ten proposals through a window of two");
    assertEquals(0, c.group(1).raft().trk.get(2).inflightCount());
  }

  // Breaks if the window ignores maxInflightBytes.
  @Test
  void lesson01_inflightByteLimitPausesReplication() {
    TestCluster c = new TestCluster(3, b -> b.maxInflightBytes(100), 1);
    c.elect(1);
    Predicate<Message> lostAcksFrom2 = m -> m.type == MessageType.APPEND_RESPONSE && m.from == 2;
    c.group(1).propose(new byte[80]); // 104 bytes with overhead: over the limit on its own
    ClusterOps.stabilize(c, lostAcksFrom2);
    assertTrue(c.group(1).raft().trk.get(2).isPaused());
    int mark = c.sent.size();
    c.group(1).propose(new byte[1]);
    ClusterOps.stabilize(c, lostAcksFrom2);
    assertTrue(sentSince(c, mark, appendTo(2)).isEmpty(), "the byte limit must pause the follower");
    assertFalse(sentSince(c, mark, appendTo(3)).isEmpty(), "3 acknowledges, so its window slides");
  }

  // ---------------------------------------------------------------- lesson 2

  // Breaks if appends ignore maxSizePerMsgBytes (all six entries would travel in one message).
  @Test
  void lesson02_appendsAreBoundedByMaxSizePerMsg() {
    long one = Entry.OVERHEAD_BYTES + 10;
    TestCluster c = new TestCluster(3, b -> b.maxSizePerMsgBytes(2 * one), 1);
    c.elect(1);
    int mark = c.sent.size();
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      batch.add(new byte[10]);
    }
    c.group(1).propose(batch);
    c.stabilize();
    List<Message> appends = sentSince(c, mark, m -> m.type == MessageType.APPEND && !m.entries.isEmpty());
    assertFalse(appends.isEmpty());
    int max = 0;
    for (Message m : appends) {
      assertTrue(m.entries.size() <= 2, "append of " + m.entries.size() + " entries: " + m);
      assertTrue(Entry.sizeBytes(m.entries) <= 2 * one);
      max = Math.max(max, m.entries.size());
    }
    assertEquals(2, max, "the limit is used, not one entry per message");
    assertEquals(c.group(1).lastIndex(), c.group(2).lastIndex());

    // An entry larger than the limit still travels, alone.
    mark = c.sent.size();
    c.group(1).propose(new byte[1000]);
    c.stabilize();
    for (Message m : sentSince(c, mark, m -> m.type == MessageType.APPEND && !m.entries.isEmpty())) {
      assertEquals(1, m.entries.size());
    }
    assertEquals(c.group(1).lastIndex(), c.group(3).lastIndex());
  }

  // Breaks if the leader steps back one index per rejection instead of using the follower's hint.
  @Test
  void lesson02_rejectionBacksOffUsingTheFollowersHint() {
    TestCluster c = ClusterOps.empty(b -> { }, 1);
    long[] voters = {1, 2, 3};
    long[] leaderTerms = {1, 1, 1, 3, 3, 3, 3, 3, 3, 3};
    long[] staleTerms = new long[20];
    for (int i = 0; i < 20; i++) {
      staleTerms[i] = i < 3 ? 1 : 2;
    }
    c.add(1, ClusterOps.storage(voters, leaderTerms, new HardState(3, 0, 3)));
    c.add(2, ClusterOps.storage(voters, staleTerms, new HardState(3, 0, 3)));
    c.add(3, ClusterOps.storage(voters, leaderTerms, new HardState(3, 0, 3)));
    int mark = c.sent.size();
    c.elect(1);
    List<Message> appends = sentSince(c, mark, appendTo(2));
    List<Message> rejections = sentSince(c, mark, m -> m.type == MessageType.APPEND_RESPONSE && m.from == 2 && m.reject);
    assertEquals(10, appends.get(0).index, "the first probe follows the leader's last entry");
    assertEquals(1, rejections.size(), "one rejection, then the hint finds the match point");
    assertEquals(3, appends.get(1).index, "the second probe skips the whole term-3 run");
    assertEquals(ClusterOps.log(c.group(1)), ClusterOps.log(c.group(2)));
  }

  // Breaks if maybeDecrTo may move next to or below match, or honours stale rejections.
  @Test
  void lesson02_backoffNeverGoesBelowMatch() {
    Progress pr = new ProgressTracker(16, 0).newProgress(9, false);
    pr.match = 5;
    assertTrue(pr.maybeDecrTo(8, 2));
    assertEquals(6, pr.next, "a hint below match is clamped to match + 1");
    assertFalse(pr.maybeDecrTo(7, 0), "not the probe we sent (next - 1 is 5)");
    assertEquals(6, pr.next);

    pr.becomeReplicate();
    pr.next = 12;
    assertFalse(pr.maybeDecrTo(4, 0), "a rejection at or below match is stale in replicate state");
    assertEquals(12, pr.next);
    assertTrue(pr.maybeDecrTo(10, 0));
    assertEquals(6, pr.next);
  }

  // ---------------------------------------------------------------- lesson 3

  // Breaks if an append below the commit index is checked (here: against a compacted entry) and rejected.
  @Test
  void lesson03_appendBelowCommitIsAnsweredWithCommitIndex() {
    MemoryStorage s = MemoryStorage.at(4, 1, ConfState.ofVoters(1, 2, 3));
    s.append(List.of(Entry.normal(1, 5, bytes("e5"))));
    s.setHardState(new HardState(1, 0, 5));
    RaftGroup g = ClusterOps.group(2, s, b -> { });
    ClusterOps.drain(g, s);
    // A delayed append from leader 1, from before the follower compacted its log.
    Message old = ClusterOps.builder(MessageType.APPEND, 1, 2, 1).index(2).logTerm(1)
        .entries(List.of(Entry.normal(1, 3, bytes("e3")), Entry.normal(1, 4, bytes("e4")))).commit(4).build();
    g.step(old);
    List<Message> out = ClusterOps.drain(g, s);
    assertEquals(1, out.size(), out.toString());
    Message resp = out.get(0);
    assertEquals(MessageType.APPEND_RESPONSE, resp.type);
    assertFalse(resp.reject, "an append below commit must not be rejected");
    assertEquals(5, resp.index, "it is answered with the commit index");
    assertEquals(5, g.lastIndex());
  }

  // ---------------------------------------------------------------- lesson 4

  // Breaks if handleHeartbeat commits the leader's commit index without clamping (an invariant throws).
  @Test
  void lesson04_heartbeatCommitBeyondLogIsClamped() {
    long[] voters = {1, 2, 3};
    MemoryStorage s = ClusterOps.storage(voters, new long[] {1, 1}, new HardState(1, 0, 0));
    RaftGroup g = ClusterOps.group(2, s, b -> { });
    ClusterOps.drain(g, s);
    g.step(ClusterOps.builder(MessageType.HEARTBEAT, 1, 2, 1).commit(10).build());
    assertEquals(2, g.commitIndex(), "commit clamps to the last index");
    List<Message> out = ClusterOps.drain(g, s);
    assertEquals(MessageType.HEARTBEAT_RESPONSE, out.get(0).type);
    assertEquals(2, g.appliedIndex());
  }

  // Breaks if a follower cannot commit entries it holds but has not persisted yet.
  @Test
  void lesson04_commitAheadOfPersistedLogOnAFollower() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    c.group(1).propose(bytes("a"));
    c.processReady(1);
    c.deliver(); // 2 and 3 hold entry "a", unpersisted
    long idx = c.group(1).lastIndex();
    assertTrue(c.group(2).raft().log.persistedIndex() < idx);
    c.group(2).step(ClusterOps.builder(MessageType.HEARTBEAT, 1, 2, c.group(1).term()).commit(idx).build());
    assertEquals(idx, c.group(2).commitIndex());
    c.stabilize();
    assertEquals(List.of("a"), c.appliedData(2), "applied only after being persisted by the same Ready");
  }

  // ---------------------------------------------------------------- lesson 5

  /** Elects 1, cuts 3 off while 5 entries commit, then compacts the leader's log past 3. */
  private static long leaveThreeBehind(TestCluster c) {
    c.elect(1);
    c.isolate(3);
    for (int i = 0; i < 5; i++) {
      c.group(1).propose(bytes("p" + i));
    }
    c.stabilize();
    long committed = c.group(1).commitIndex();
    assertEquals(c.group(1).lastIndex(), committed);
    assertTrue(c.group(3).lastIndex() < committed);
    return committed;
  }

  // Breaks if a Compacted read while building an append escapes (crash) instead of falling back to a snapshot.
  @Test
  void lesson05_followerBehindCompactionGetsSnapshot() {
    TestCluster c = new TestCluster(3);
    long committed = leaveThreeBehind(c);
    c.node(1).storage.createSnapshot(committed, c.group(1).confState(), bytes("state"));
    c.node(1).storage.compact(committed);
    c.heal();
    int mark = c.sent.size();
    c.tick(1);
    c.stabilize();
    assertEquals(1, sentSince(c, mark, m -> m.type == MessageType.SNAPSHOT && m.to == 3).size());
    assertTrue(c.group(1).counters().compactedDuringSend >= 1);
    assertEquals(committed, c.group(3).commitIndex());
    c.group(1).propose(bytes("after"));
    c.stabilize();
    assertEquals(List.of("after"), c.appliedData(3), "3 restored the snapshot, then applied from the log");
    assertEquals(Role.LEADER, c.group(1).role());
  }

  // Breaks if the core does not catch Compacted thrown by the entries read that follows a successful term read.
  @Test
  void lesson05_compactionBetweenTermAndEntriesReadsFallsBackToSnapshot() {
    TestCluster c = new TestCluster(3);
    FaultyStorage fs = new FaultyStorage(c.node(1).storage);
    c.node(1).group = ClusterOps.group(1, fs, b -> { });
    long committed = leaveThreeBehind(c);
    long firstBefore = fs.firstIndex();
    fs.snapshotConf = c.group(1).confState();
    fs.compactOnNextEntriesRead = committed; // the compactor strikes during the next send's entries read
    c.heal();
    int mark = c.sent.size();
    c.tick(1);
    c.stabilize();
    assertEquals(1, fs.compactions);
    assertTrue(firstBefore < fs.firstIndex(), "the race happened");
    assertTrue(c.group(1).counters().compactedDuringSend >= 1);
    assertEquals(1, sentSince(c, mark, m -> m.type == MessageType.SNAPSHOT && m.to == 3).size());
    assertEquals(committed, c.group(3).commitIndex());
    c.group(1).propose(bytes("after"));
    c.stabilize();
    assertEquals(List.of("after"), c.appliedData(3));
  }

  // ---------------------------------------------------------------- lesson 6

  private static MemoryStorage tenEntries() {
    MemoryStorage s = MemoryStorage.withVoters(1);
    List<Entry> ents = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      ents.add(Entry.normal(i <= 5 ? 1 : 2, i, bytes("e" + i)));
    }
    s.append(ents);
    return s;
  }

  // Breaks if MemoryStorage serves compacted indexes (wrong data) instead of throwing Compacted.
  @Test
  void lesson06_readsOfCompactedIndexesThrowAndNeverReturnWrongData() {
    MemoryStorage s = tenEntries();
    s.createSnapshot(5, ConfState.ofVoters(1), bytes("state"));
    assertTrue(s.compact(5));
    assertFalse(s.compact(3), "already compacted there");
    assertEquals(6, s.firstIndex());
    assertEquals(10, s.lastIndex());
    assertThrows(StorageException.Compacted.class, () -> s.entries(3, 7, Long.MAX_VALUE));
    assertThrows(StorageException.Compacted.class, () -> s.entries(5, 7, Long.MAX_VALUE));
    assertThrows(StorageException.Compacted.class, () -> s.term(4));
    assertEquals(1, s.term(5), "the compaction point keeps its term");
    assertThrows(StorageException.Unavailable.class, () -> s.term(11));
    assertThrows(StorageException.Unavailable.class, () -> s.entries(9, 12, Long.MAX_VALUE));
    List<Entry> got = s.entries(6, 8, Long.MAX_VALUE);
    assertEquals(List.of(Entry.normal(2, 6, bytes("e6")), Entry.normal(2, 7, bytes("e7"))), got);
  }

  // Breaks if an append overlapping the compaction point or leaving a gap can store entries out of order.
  @Test
  void lesson06_appendsAroundCompactionKeepTheLogContiguous() {
    MemoryStorage s = tenEntries();
    s.compact(5);
    List<Entry> overlap = new ArrayList<>();
    for (int i = 3; i <= 12; i++) {
      overlap.add(Entry.normal(3, i, bytes("n" + i)));
    }
    s.append(overlap); // 3..5 are compacted and skipped; 6..10 are replaced; 11..12 added
    assertEquals(6, s.firstIndex());
    assertEquals(12, s.lastIndex());
    List<Entry> all = s.entries(6, 13, Long.MAX_VALUE);
    for (int i = 0; i < all.size(); i++) {
      assertEquals(6 + i, all.get(i).index());
      assertEquals(3, all.get(i).term());
    }
    s.append(List.of(Entry.normal(1, 2, bytes("old")))); // wholly compacted: ignored
    assertEquals(12, s.lastIndex());
    assertThrows(Invariants.InvariantViolation.class, () -> s.append(List.of(Entry.normal(3, 14, bytes("gap")))));
    assertEquals(12, s.lastIndex());
  }

  // Breaks if a MemoryStorage method touching the log is not under its one monitor.
  @Test
  void lesson06_memoryStorageIsOneMonitor() {
    List<String> unsynchronized = new ArrayList<>();
    for (Method m : MemoryStorage.class.getDeclaredMethods()) {
      int mod = m.getModifiers();
      if (Modifier.isPublic(mod) && !Modifier.isStatic(mod) && !Modifier.isSynchronized(mod)) {
        unsynchronized.add(m.getName());
      }
    }
    assertEquals(List.of(), unsynchronized, "compactor and raft worker share MemoryStorage");
  }

  // ---------------------------------------------------------------- lesson 7

  // Breaks if the leader sends a snapshot whenever the follower is behind the snapshot index,
  // even though the entries it needs are still in the log.
  @Test
  void lesson07_followerBehindSnapshotButWithinRetainedLogGetsAppends() {
    TestCluster c = new TestCluster(3);
    c.elect(1);
    for (int i = 0; i < 16; i++) {
      c.group(1).propose(bytes("a" + i));
    }
    c.stabilize();
    long behind = c.group(3).lastIndex();
    c.isolate(3);
    for (int i = 0; i < 3; i++) {
      c.group(1).propose(bytes("b" + i));
    }
    c.stabilize();
    long last = c.group(1).lastIndex();
    // Snapshot at the last index, but keep a margin of entries behind it.
    c.node(1).storage.createSnapshot(last, c.group(1).confState(), bytes("state"));
    c.node(1).storage.compact(behind - 2);
    c.heal();
    int mark = c.sent.size();
    c.tick(1);
    c.stabilize();
    assertTrue(sentSince(c, mark, m -> m.type == MessageType.SNAPSHOT).isEmpty(), "no snapshot for a slightly slow follower");
    assertEquals(0, c.group(1).counters().compactedDuringSend);
    assertEquals(last, c.group(3).commitIndex());
    assertEquals(List.of("b0", "b1", "b2"), c.appliedData(3).subList(16, 19));
  }
}
