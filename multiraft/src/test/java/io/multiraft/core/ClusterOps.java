package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Small operations on a {@link TestCluster} and on single groups, shared by the core's tests. */
final class ClusterOps {
  private ClusterOps() {}

  /** Like {@link TestCluster#stabilize()}, but loses every message {@code drop} selects. */
  static void stabilize(TestCluster c, Predicate<Message> drop) {
    for (int round = 0; round < 10_000; round++) {
      boolean moved = false;
      for (long id : c.nodes.keySet()) {
        while (c.processReady(id)) {
          moved = true;
        }
      }
      if (c.deliver(drop) > 0) {
        moved = true;
      }
      if (!moved && c.network.isEmpty()) {
        return;
      }
    }
    throw new AssertionError("cluster did not stabilize");
  }

  /** Messages handed to the network from position {@code mark} of {@link TestCluster#sent} on that match. */
  static List<Message> sentSince(TestCluster c, int mark, Predicate<Message> which) {
    List<Message> out = new ArrayList<>();
    for (Message m : c.sent.subList(mark, c.sent.size())) {
      if (which.test(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /** The whole log a group sees (storage and unstable), from its first index. */
  static List<Entry> log(RaftGroup g) {
    RaftLog log = g.raft().log;
    return log.slice(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE);
  }

  /** A cluster with no replicas yet, to add ones with prepared storage. */
  static TestCluster empty(Consumer<RaftConfig.Builder> tweak, long seed) {
    return new TestCluster(0, tweak, seed);
  }

  /** A storage with the given voters, entries of the given terms from index 1, and a hard state. */
  static MemoryStorage storage(long[] voters, long[] terms, HardState hs) {
    MemoryStorage s = MemoryStorage.withVoters(voters);
    List<Entry> ents = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      ents.add(Entry.normal(terms[i], i + 1, TestCluster.bytes("e" + (i + 1) + "t" + terms[i])));
    }
    s.append(ents);
    s.setHardState(hs);
    return s;
  }

  /** A lone group over {@code storage}, driven by hand. */
  static RaftGroup group(long id, LogStorage storage, Consumer<RaftConfig.Builder> tweak) {
    RaftConfig.Builder b = RaftConfig.builder(TestCluster.GROUP, id);
    tweak.accept(b);
    return new RaftGroup(b.build(), storage, new SplittableRandom(id));
  }

  /**
   * Handles every Ready of a lone group as the owner would (persist into {@code storage}, apply,
   * advance) and returns the messages it wanted to send, immediate and after-persist alike.
   */
  static List<Message> drain(RaftGroup g, MemoryStorage storage) {
    List<Message> out = new ArrayList<>();
    while (g.hasReady()) {
      Ready rd = g.ready();
      out.addAll(rd.messages());
      if (rd.snapshot() != null) {
        storage.applySnapshot(rd.snapshot());
      }
      storage.append(rd.entries());
      if (rd.hardState() != null) {
        storage.setHardState(rd.hardState());
      }
      out.addAll(rd.persistedMessages());
      for (Entry e : rd.committedEntries()) {
        if (e.type() == EntryType.CONF_CHANGE) {
          g.applyConfChange(e);
        }
      }
      g.advance(rd);
    }
    return out;
  }

  static Message msg(MessageType type, long from, long to, long term) {
    return Message.builder(type).group(TestCluster.GROUP).from(from).to(to).term(term).build();
  }

  static Message.Builder builder(MessageType type, long from, long to, long term) {
    return Message.builder(type).group(TestCluster.GROUP).from(from).to(to).term(term);
  }

  static long[] ids(long... ids) {
    return ids;
  }
}
