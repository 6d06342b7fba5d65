package io.multiraft.bench;

import io.multiraft.core.ConfState;
import io.multiraft.core.MemoryStorage;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.ProposeResult;
import io.multiraft.core.RaftConfig;
import io.multiraft.core.RaftGroup;
import io.multiraft.core.Ready;
import io.multiraft.core.Role;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's hot path on a leader: one proposal, its Ready persisted to memory, acknowledgements
 * from two followers, the commit Ready, advance. Followers are simulated by their responses, so
 * this measures one leader replica's CPU and allocation per committed command, for 1 group and for
 * 1,000 groups visited round-robin (cache misses of many groups).
 *
 * <p>{@code java -jar bench/target/bench.jar jmh RaftCoreBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RaftCoreBenchmark {
  private static final long LEADER = 1;
  private static final int COMPACT_EVERY = 4096;

  @Param({"1", "1000"})
  public int groups;

  @Param({"128"})
  public int payloadBytes;

  private RaftGroup[] leaders;
  private MemoryStorage[] storages;
  private byte[] payload;
  private int cursor;

  @Setup(Level.Trial)
  public void setup() {
    leaders = new RaftGroup[groups];
    storages = new MemoryStorage[groups];
    payload = new byte[payloadBytes];
    for (int g = 0; g < groups; g++) {
      storages[g] = MemoryStorage.withVoters(1, 2, 3);
      RaftConfig cfg = RaftConfig.builder(g + 1, LEADER).build();
      leaders[g] = new RaftGroup(cfg, storages[g], new SplittableRandom(g));
      electLeader(g);
    }
  }

  private void electLeader(int g) {
    RaftGroup r = leaders[g];
    r.campaign();
    drain(g); // pre-vote requests out, own pre-vote counted
    r.step(response(g, MessageType.PRE_VOTE_RESPONSE, 2, r.term() + 1, 0));
    drain(g); // vote requests out, own vote counted
    r.step(response(g, MessageType.VOTE_RESPONSE, 2, r.term(), 0));
    drain(g);
    if (r.role() != Role.LEADER) {
      throw new IllegalStateException("group " + (g + 1) + " did not elect: " + r.status());
    }
    ack(g);
  }

  private static Message response(int g, MessageType type, long from, long term, long index) {
    return Message.builder(type).group(g + 1).from(from).to(LEADER).term(term).index(index).build();
  }

  /** Persists and advances every Ready the group has; returns the number of messages sent. */
  private int drain(int g) {
    RaftGroup r = leaders[g];
    int sent = 0;
    while (r.hasReady()) {
      Ready rd = r.ready();
      MemoryStorage s = storages[g];
      if (!rd.entries().isEmpty()) {
        s.append(rd.entries());
      }
      if (rd.hardState() != null) {
        s.setHardState(rd.hardState());
      }
      sent += rd.messages().size() + rd.persistedMessages().size();
      r.advance(rd);
    }
    return sent;
  }

  private void ack(int g) {
    RaftGroup r = leaders[g];
    long last = r.lastIndex();
    r.step(response(g, MessageType.APPEND_RESPONSE, 2, r.term(), last));
    r.step(response(g, MessageType.APPEND_RESPONSE, 3, r.term(), last));
    drain(g);
  }

  /** One command proposed, replicated to a quorum, committed and applied on one group's leader. */
  @Benchmark
  public int proposeReplicateCommit() {
    int g = cursor;
    cursor = cursor + 1 == groups ? 0 : cursor + 1;
    RaftGroup r = leaders[g];
    if (r.propose(payload) != ProposeResult.ACCEPTED) {
      throw new IllegalStateException("proposal refused on group " + (g + 1));
    }
    int sent = drain(g);
    ack(g);
    long applied = r.appliedIndex();
    if (applied % COMPACT_EVERY == 0) {
      MemoryStorage s = storages[g];
      ConfState cs = r.confState();
      s.createSnapshot(applied, cs, null);
      s.compact(applied - 16);
    }
    return sent;
  }
}
