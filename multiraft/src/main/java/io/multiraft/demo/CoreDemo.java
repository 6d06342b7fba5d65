package io.multiraft.demo;

import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.MemoryStorage;
import io.multiraft.core.Message;
import io.multiraft.core.ProposeResult;
import io.multiraft.core.RaftConfig;
import io.multiraft.core.RaftGroup;
import io.multiraft.core.Ready;
import io.multiraft.core.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A scripted, single-threaded run of the Raft core: several groups of three in-memory replicas
 * elect leaders by ticking, replicate commands, lose a leader to a partition, elect again and
 * converge. Deterministic for a given seed. It stands in for the local cluster until the node
 * runtime and transport exist.
 */
public final class CoreDemo {
  private static final long[] NODES = {1, 2, 3};

  private final int groups;
  private final int commands;
  private final List<Replica[]> replicas = new ArrayList<>();
  private final ArrayDeque<Message> network = new ArrayDeque<>();
  private final Set<Long> isolated = new HashSet<>();
  private long delivered;
  private long dropped;
  private long ticks;

  /** One replica of one group, with its storage and the state machine (the applied commands). */
  private static final class Replica {
    final RaftGroup group;
    final MemoryStorage storage;
    final List<String> applied = new ArrayList<>();

    Replica(RaftGroup group, MemoryStorage storage) {
      this.group = group;
      this.storage = storage;
    }
  }

  private CoreDemo(int groups, int commands, long seed) {
    this.groups = groups;
    this.commands = commands;
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int g = 1; g <= groups; g++) {
      Replica[] rs = new Replica[NODES.length];
      for (int i = 0; i < NODES.length; i++) {
        MemoryStorage storage = MemoryStorage.withVoters(NODES);
        RaftConfig cfg = RaftConfig.builder(g, NODES[i]).fastFirstElection(true).build();
        rs[i] = new Replica(new RaftGroup(cfg, storage, seeds.split()), storage);
      }
      replicas.add(rs);
    }
  }

  public static void main(String[] args) {
    int groups = 3;
    int commands = 100;
    long seed = 7;
    try {
      for (String a : args) {
        String[] kv = a.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("expected key=value, got '" + a + "'");
        }
        switch (kv[0]) {
          case "--groups" -> groups = positive(kv);
          case "--commands" -> commands = positive(kv);
          case "--seed" -> seed = Long.parseLong(kv[1]);
          default -> throw new IllegalArgumentException("unknown option '" + kv[0] + "'");
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("usage: CoreDemo [--groups=N] [--commands=N] [--seed=N]");
      System.exit(2);
      return;
    }
    new CoreDemo(groups, commands, seed).run();
  }

  private static int positive(String[] kv) {
    int v = Integer.parseInt(kv[1]);
    if (v <= 0) {
      throw new IllegalArgumentException(kv[0] + " must be positive");
    }
    return v;
  }

  private void run() {
    System.out.printf("Raft core demo: %d groups x %d replicas in memory, one thread, seeded%n", groups, NODES.length);
    long t = runUntil(this::allHaveLeaders, 1000);
    System.out.printf("[tick %4d] every group elected a leader: %s%n", t, leaders());

    proposeRound("a", commands);
    t = runUntil(() -> allApplied(commands), 1000);
    System.out.printf("[tick %4d] %d commands per group committed and applied on all %d replicas%n", t, commands, NODES.length);

    long victim = leaderOf(0);
    isolated.add(victim);
    System.out.printf("[tick %4d] node %d is partitioned away (it leads %s)%n", ticks, victim, groupsLedBy(victim));
    t = runUntil(() -> allHaveLeadersExcluding(victim), 5000);
    System.out.printf("[tick %4d] groups re-elected away from node %d: %s%n", t, victim, leaders());

    proposeRound("b", commands);
    t = runUntil(() -> appliedOnMajority(2L * commands), 5000);
    System.out.printf("[tick %4d] %d more commands per group committed by the remaining majority%n", t, commands);

    isolated.clear();
    System.out.printf("[tick %4d] partition healed%n", ticks);
    t = runUntil(() -> allApplied(2L * commands) && allHaveLeaders(), 5000);
    System.out.printf("[tick %4d] node %d caught up; all replicas applied %d commands per group%n", t, victim, 2 * commands);

    for (int g = 0; g < groups; g++) {
      Replica[] rs = replicas.get(g);
      for (Replica r : rs) {
        if (!r.applied.equals(rs[0].applied)) {
          throw new IllegalStateException("group " + (g + 1) + " replicas diverged");
        }
      }
      RaftGroup leader = rs[(int) leaderOf(g) - 1].group;
      System.out.printf("group %d: leader %d, term %d, commit %d, applied %d identical commands on %d replicas%n",
          g + 1, leader.leader(), leader.term(), leader.commitIndex(), rs[0].applied.size(), rs.length);
    }
    System.out.printf("%d messages delivered, %d dropped by the partition, %d ticks%n", delivered, dropped, ticks);
  }

  private void proposeRound(String prefix, int n) {
    for (int g = 0; g < groups; g++) {
      Replica[] rs = replicas.get(g);
      RaftGroup leader = rs[(int) leaderOf(g) - 1].group;
      List<byte[]> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add((prefix + i).getBytes(StandardCharsets.UTF_8));
      }
      ProposeResult res = leader.propose(batch);
      if (res != ProposeResult.ACCEPTED) {
        throw new IllegalStateException("group " + (g + 1) + " refused the proposal: " + res);
      }
    }
  }

  private long runUntil(java.util.function.BooleanSupplier done, int maxTicks) {
    for (int i = 0; i < maxTicks; i++) {
      settle();
      if (done.getAsBoolean()) {
        return ticks;
      }
      for (Replica[] rs : replicas) {
        for (Replica r : rs) {
          r.group.tick();
        }
      }
      ticks++;
    }
    throw new IllegalStateException("no progress within " + maxTicks + " ticks; leaders " + leaders());
  }

  /** Processes every Ready and delivers every message until the groups are quiet. */
  private void settle() {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Replica[] rs : replicas) {
        for (Replica r : rs) {
          while (r.group.hasReady()) {
            handle(r);
            moved = true;
          }
        }
      }
      while (!network.isEmpty()) {
        Message m = network.poll();
        if (isolated.contains(m.from) || isolated.contains(m.to)) {
          dropped++;
          continue;
        }
        replicas.get((int) m.groupId - 1)[(int) m.to - 1].group.step(m);
        delivered++;
        moved = true;
      }
    }
  }

  private void handle(Replica r) {
    Ready rd = r.group.ready();
    network.addAll(rd.messages());
    r.storage.append(rd.entries());
    if (rd.hardState() != null) {
      r.storage.setHardState(rd.hardState());
    }
    network.addAll(rd.persistedMessages());
    for (Entry e : rd.committedEntries()) {
      if (e.type() == EntryType.CONF_CHANGE) {
        r.group.applyConfChange(e);
      } else if (e.data().length > 0) {
        r.applied.add(new String(e.data(), StandardCharsets.UTF_8));
      }
    }
    r.group.advance(rd);
  }

  private long leaderOf(int g) {
    for (Replica r : replicas.get(g)) {
      if (r.group.role() == Role.LEADER && !isolated.contains(r.group.nodeId())) {
        return r.group.nodeId();
      }
    }
    for (Replica r : replicas.get(g)) {
      if (r.group.role() == Role.LEADER) {
        return r.group.nodeId();
      }
    }
    return 0;
  }

  private boolean allHaveLeaders() {
    for (int g = 0; g < groups; g++) {
      long l = leaderOf(g);
      if (l == 0) {
        return false;
      }
      for (Replica r : replicas.get(g)) {
        if (r.group.leader() != l) {
          return false;
        }
      }
    }
    return true;
  }

  private boolean allHaveLeadersExcluding(long node) {
    for (int g = 0; g < groups; g++) {
      long l = leaderOf(g);
      if (l == 0 || l == node) {
        return false;
      }
    }
    return true;
  }

  private boolean allApplied(long n) {
    for (Replica[] rs : replicas) {
      for (Replica r : rs) {
        if (r.applied.size() < n) {
          return false;
        }
      }
    }
    return true;
  }

  private boolean appliedOnMajority(long n) {
    for (Replica[] rs : replicas) {
      int count = 0;
      for (Replica r : rs) {
        if (r.applied.size() >= n) {
          count++;
        }
      }
      if (count < 2) {
        return false;
      }
    }
    return true;
  }

  private String leaders() {
    long[] ls = new long[groups];
    for (int g = 0; g < groups; g++) {
      ls[g] = leaderOf(g);
    }
    return "leaders by group " + Arrays.toString(ls);
  }

  private List<Integer> groupsLedBy(long node) {
    List<Integer> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      if (leaderOf(g) == node) {
        out.add(g + 1);
      }
    }
    return out;
  }
}
