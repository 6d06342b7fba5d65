package io.multiraft.core;

import static io.multiraft.core.ClusterOps.builder;
import static io.multiraft.core.ClusterOps.msg;
import static io.multiraft.core.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input from the network or the log: ignored, counted in {@link RaftGroup#counters()}, never
 * thrown, and the group keeps working afterwards.
 */
class BadInputTest {
  private TestCluster c;
  private long term;
  private int proposals;

  @BeforeEach
  void setUp() {
    c = new TestCluster(3);
    c.elect(1);
    c.group(1).propose(bytes("before"));
    c.stabilize();
    term = c.group(1).term();
  }

  /** The group still replicates and applies after the bad input. */
  private void assertStillWorks() {
    String cmd = "after" + (++proposals);
    assertEquals(Role.LEADER, c.group(1).role());
    assertEquals(ProposeResult.ACCEPTED, c.group(1).propose(bytes(cmd)));
    c.stabilize();
    for (long id = 1; id <= 3; id++) {
      List<String> applied = c.appliedData(id);
      assertEquals(cmd, applied.get(applied.size() - 1), "node " + id);
    }
  }

  private void step(long to, Message m) {
    assertDoesNotThrow(() -> c.group(to).step(m));
  }

  // Breaks if a leader looks up a missing progress for an unknown sender (NullPointerException).
  @Test
  void messageFromUnknownPeerIsCounted() {
    step(1, builder(MessageType.APPEND_RESPONSE, 9, 1, term).index(2).build());
    step(1, msg(MessageType.HEARTBEAT_RESPONSE, 9, 1, term));
    step(1, builder(MessageType.READ_INDEX, 9, 1, term).context(5).build());
    step(1, builder(MessageType.TRANSFER_LEADER, 9, 1, term).context(2).build());
    assertEquals(4, c.group(1).counters().unknownPeerMessages);
    assertFalse(c.group(1).raft().trk.all().containsKey(9L));
    assertStillWorks();
  }

  // Breaks if a lower-term message is acted on, or not counted.
  @Test
  void staleTermMessageIsCounted() {
    long matchBefore = c.group(1).raft().trk.get(2).match;
    step(1, builder(MessageType.APPEND_RESPONSE, 2, 1, term - 1).index(100).build());
    step(1, builder(MessageType.VOTE_RESPONSE, 3, 1, term - 1).reject(true).build());
    assertEquals(2, c.group(1).counters().staleTermMessages);
    assertEquals(matchBefore, c.group(1).raft().trk.get(2).match);
    assertEquals(term, c.group(1).term());
    assertStillWorks();
  }

  // Breaks if a message of another group is stepped into this one (here: it would depose the leader).
  @Test
  void messageForAnotherGroupIsCounted() {
    Message other = Message.builder(MessageType.APPEND).group(TestCluster.GROUP + 1).from(2).to(1).term(term + 5).build();
    step(1, other);
    assertEquals(1, c.group(1).counters().misaddressedMessages);
    assertEquals(term, c.group(1).term());
    assertStillWorks();
  }

  // Breaks if a message addressed to another replica is handled.
  @Test
  void messageForAnotherReplicaIsCounted() {
    step(2, builder(MessageType.HEARTBEAT, 1, 3, term + 1).build());
    assertEquals(1, c.group(2).counters().misaddressedMessages);
    assertEquals(term, c.group(2).term());
    step(2, builder(MessageType.HEARTBEAT, 2, 2, term).build()); // claims to come from ourselves
    assertEquals(1, c.group(2).counters().malformedMessages);
    assertStillWorks();
  }

  // Breaks if a garbage CONF_CHANGE entry throws while applied, or changes the membership.
  @Test
  void malformedConfChangeEntryIsCounted() {
    ConfState before = c.group(1).confState();
    Entry garbage = new Entry(term, c.group(1).lastIndex(), EntryType.CONF_CHANGE, new byte[] {7, 7, 7, 7, 7});
    ConfState after = assertDoesNotThrow(() -> c.group(1).applyConfChange(garbage));
    assertSame(before, after);
    Entry truncated = new Entry(term, c.group(1).lastIndex(), EntryType.CONF_CHANGE,
        java.util.Arrays.copyOf(ConfChangeCodec.encode(ConfChange.remove(2)), 8));
    assertDoesNotThrow(() -> c.group(2).applyConfChange(truncated));
    assertEquals(1, c.group(1).counters().malformedConfChanges);
    assertEquals(1, c.group(2).counters().malformedConfChanges);
    assertTrue(c.group(1).counters().lastConfChangeError.contains("entry"));
    assertEquals(before, c.group(1).confState());
    assertStillWorks();
  }

  // Breaks if a conf change that is well-formed but impossible (removing every voter) is applied or throws.
  @Test
  void impossibleConfChangeAtApplyIsCounted() {
    ConfState before = c.group(3).confState();
    Entry removeAll = new Entry(term, c.group(3).lastIndex(), EntryType.CONF_CHANGE,
        ConfChangeCodec.encode(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT,
            List.of(new ConfChange.Single(ConfChange.Type.REMOVE, 1), new ConfChange.Single(ConfChange.Type.REMOVE, 2),
                new ConfChange.Single(ConfChange.Type.REMOVE, 3)))));
    assertEquals(before, assertDoesNotThrow(() -> c.group(3).applyConfChange(removeAll)));
    assertEquals(1, c.group(3).counters().rejectedConfChanges);
    assertStillWorks();
  }

  // Breaks if a follower stores an append whose entries are not contiguous (a hole in its log).
  @Test
  void appendWithNonContiguousEntriesIsCounted() {
    long last = c.group(2).lastIndex();
    Message gap = builder(MessageType.APPEND, 1, 2, term).index(last).logTerm(term)
        .entries(List.of(Entry.normal(term, last + 1, bytes("x")), Entry.normal(term, last + 3, bytes("y"))))
        .commit(c.group(1).commitIndex()).build();
    step(2, gap);
    Message badTerm = builder(MessageType.APPEND, 1, 2, term).index(last).logTerm(term)
        .entries(List.of(Entry.normal(term + 1, last + 1, bytes("future")))).build();
    step(2, badTerm);
    Message descending = builder(MessageType.APPEND, 1, 2, term).index(last).logTerm(term)
        .entries(List.of(Entry.normal(term, last + 1, bytes("a")), Entry.normal(term - 1, last + 2, bytes("b")))).build();
    step(2, descending);
    assertEquals(3, c.group(2).counters().malformedMessages);
    assertEquals(last, c.group(2).lastIndex());
    assertStillWorks();
  }

  // Breaks if a leader counts an acknowledgement of entries it never had (commit beyond its log).
  @Test
  void appendResponseBeyondLeadersLastIndexIsCounted() {
    long last = c.group(1).lastIndex();
    long commit = c.group(1).commitIndex();
    step(1, builder(MessageType.APPEND_RESPONSE, 2, 1, term).index(last + 50).build());
    step(1, builder(MessageType.APPEND_RESPONSE, 3, 1, term).index(last + 50).build());
    assertEquals(2, c.group(1).counters().outOfRangeAcks);
    assertEquals(commit, c.group(1).commitIndex());
    assertTrue(c.group(1).raft().trk.get(2).match <= last);
    assertStillWorks();
  }

  // Breaks if an append arrives at a leader of the same term and is treated as from its leader.
  @Test
  void appendToLeaderOfSameTermIsCounted() {
    long last = c.group(1).lastIndex();
    step(1, builder(MessageType.APPEND, 2, 1, term).index(last).logTerm(term)
        .entries(List.of(Entry.normal(term, last + 1, bytes("usurper")))).build());
    assertEquals(1, c.group(1).counters().malformedMessages);
    assertEquals(last, c.group(1).lastIndex());
    assertStillWorks();
  }

  // Breaks if a snapshot message without a snapshot is dereferenced.
  @Test
  void snapshotMessageWithoutSnapshotIsCounted() {
    step(2, builder(MessageType.SNAPSHOT, 1, 2, term).build());
    step(2, builder(MessageType.SNAPSHOT, 1, 2, term).snapshot(Snapshot.EMPTY).build());
    assertEquals(2, c.group(2).counters().malformedMessages);
    assertStillWorks();
  }

  // Breaks if a snapshot that does not include this replica is restored (it would strand the replica).
  @Test
  void snapshotExcludingTheReceiverIsCounted() {
    Snapshot foreign = new Snapshot(new SnapshotMeta(100, term, ConfState.ofVoters(1, 3)), bytes("x"));
    step(2, builder(MessageType.SNAPSHOT, 1, 2, term).snapshot(foreign).build());
    assertEquals(1, c.group(2).counters().snapshotsRejectedNotMember);
    assertTrue(c.group(2).lastIndex() < 100);
    assertStillWorks();
  }
}
