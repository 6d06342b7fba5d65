package io.multiraft.sim.lin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Histories that are linearizable by construction: sequential clients issue random operations with
 * random durations against a correct store, each taking effect at a random instant inside its
 * interval. Outputs are computed by applying the operations in the order of those instants, which
 * is then a valid linearization.
 *
 * <p>Some operations time out (unknown outcome): each either takes effect at some instant after its
 * call (possibly after the client gave up) or never.
 */
final class RandomRegisterHistories {

  /** Written values count up from 1, so nothing at or above this is ever written. */
  static final long NEVER_WRITTEN = 1_000_000_000L;

  private static final long MAX_DURATION = 50;
  private static final long MAX_THINK = 20;
  /** Sorts last, so that a CAS that never happens still picks its expected value from real ones. */
  private static final long NO_EFFECT = Long.MAX_VALUE;

  /** One operation being planned; its outputs are filled in when the store executes it. */
  private static final class Planned {
    int client;
    String key;
    OpKind kind;
    long call;
    long ret;
    long effectAt = NO_EFFECT;
    boolean unknown;
    Long input;
    Long expected;
    Long output;
    boolean succeeded;
  }

  private final Random random;
  private final int clients;
  private final int opsPerClient;
  private final int keys;
  private final double unknownRate;
  private long nextValue = 1;

  RandomRegisterHistories(long seed, int clients, int opsPerClient, int keys, double unknownRate) {
    this.random = new Random(seed);
    this.clients = clients;
    this.opsPerClient = opsPerClient;
    this.keys = keys;
    this.unknownRate = unknownRate;
  }

  History next() {
    List<Planned> plan = plan();
    execute(plan);
    return record(plan);
  }

  private List<Planned> plan() {
    List<Planned> plan = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long t = random.nextInt((int) MAX_THINK + 1);
      for (int i = 0; i < opsPerClient; i++) {
        Planned p = new Planned();
        p.client = c;
        p.key = "k" + random.nextInt(keys);
        int dice = random.nextInt(100);
        p.kind = dice < 40 ? OpKind.READ : dice < 75 ? OpKind.WRITE : OpKind.CAS;
        p.input = p.kind == OpKind.READ ? null : nextValue++;
        p.call = t;
        p.ret = t + 1 + random.nextInt((int) MAX_DURATION);
        p.unknown = random.nextDouble() < unknownRate;
        if (!p.unknown) {
          p.effectAt = p.call + random.nextInt((int) (p.ret - p.call + 1));
        } else if (random.nextBoolean()) {
          // a timed-out request may still be applied well after the client stopped waiting
          p.effectAt = p.call + random.nextInt((int) (3 * MAX_DURATION));
        }
        plan.add(p);
        t = p.ret + random.nextInt((int) MAX_THINK + 1);
      }
    }
    return plan;
  }

  private void execute(List<Planned> plan) {
    Map<String, Long> store = new HashMap<>();
    Map<String, List<Long>> written = new HashMap<>();
    List<Planned> order = new ArrayList<>(plan);
    // ties may go either way: an instant shared by two operations lies inside both intervals
    order.sort(Comparator.comparingLong((Planned p) -> p.effectAt));
    for (Planned p : order) {
      List<Long> seen = written.computeIfAbsent(p.key, k -> new ArrayList<>());
      Long current = store.get(p.key);
      if (p.kind == OpKind.CAS) {
        // chosen late, knowing the state, so that a good share of the CASes succeed
        p.expected = random.nextBoolean() ? current : pick(seen);
      }
      if (p.effectAt == NO_EFFECT) {
        continue;
      }
      switch (p.kind) {
        case READ -> p.output = current;
        case WRITE -> {
          store.put(p.key, p.input);
          seen.add(p.input);
        }
        case CAS -> {
          p.succeeded = Objects.equals(current, p.expected);
          if (p.succeeded) {
            store.put(p.key, p.input);
            seen.add(p.input);
          }
        }
      }
    }
  }

  private Long pick(List<Long> values) {
    int i = random.nextInt(values.size() + 1);
    return i == values.size() ? null : values.get(i);
  }

  private static History record(List<Planned> plan) {
    History h = new History();
    for (Planned p : plan) {
      int op = switch (p.kind) {
        case READ -> h.invokeRead(p.client, p.key, p.call);
        case WRITE -> h.invokeWrite(p.client, p.key, p.input, p.call);
        case CAS -> h.invokeCas(p.client, p.key, p.expected, p.input, p.call);
      };
      if (p.unknown) {
        h.returnUnknown(op);
        continue;
      }
      switch (p.kind) {
        case READ -> h.returnRead(op, p.output, p.ret);
        case WRITE -> h.returnWrite(op, p.ret);
        case CAS -> h.returnCas(op, p.succeeded, p.ret);
      }
    }
    return h;
  }
}
