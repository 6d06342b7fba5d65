package io.multiraft.sim.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker against the definition itself, on small random histories that are often not
 * linearizable: try every subset of the unknown operations and every order of the chosen ones,
 * and accept if one order respects real time and the model.
 */
class BruteForceAgreementTest {

  private static final int HISTORIES = 3_000;
  private final RegisterModel model = new RegisterModel();

  @Test
  void checkerAgreesWithExhaustiveEnumeration() {
    Random random = new Random(7);
    LinearizabilityChecker<RegisterState> checker = LinearizabilityChecker.forRegisters();
    int illegal = 0;
    for (int i = 0; i < HISTORIES; i++) {
      List<Operation> ops = randomHistory(random, 1 + random.nextInt(7));
      boolean expected = linearizable(ops, new ArrayList<>(), new boolean[ops.size()], model.init());
      CheckResult r = checker.check(ops);
      assertEquals(expected ? Verdict.OK : Verdict.ILLEGAL, r.verdict(), () -> ops + "\n" + r);
      illegal += expected ? 0 : 1;
    }
    // both answers must be well represented for the agreement to mean anything
    assertTrue(illegal > HISTORIES / 5 && illegal < HISTORIES * 4 / 5, illegal + " illegal");
  }

  /** Few values and coarse times, so that outputs often clash and intervals often touch. */
  private static List<Operation> randomHistory(Random random, int size) {
    List<Operation> ops = new ArrayList<>();
    for (int id = 0; id < size; id++) {
      OpKind kind = OpKind.values()[random.nextInt(3)];
      long call = random.nextInt(10);
      boolean unknown = random.nextInt(5) == 0;
      long ret = unknown ? Operation.NEVER : call + random.nextInt(6);
      Long input = kind == OpKind.READ ? null : value(random);
      Long expected = kind == OpKind.CAS ? value(random) : null;
      Long output = kind == OpKind.READ && !unknown ? value(random) : null;
      boolean succeeded = kind == OpKind.CAS && !unknown && random.nextBoolean();
      ops.add(new Operation(id, id, "x", kind, input, expected, output, succeeded, call, ret, unknown));
    }
    return ops;
  }

  private static Long value(Random random) {
    int v = random.nextInt(3);
    return v == 0 ? null : (long) v;
  }

  /** Extends {@code order} one operation at a time; an unknown one may also be left out. */
  private boolean linearizable(
      List<Operation> ops, List<Operation> order, boolean[] used, RegisterState state) {
    boolean knownLeft = false;
    for (int i = 0; i < ops.size(); i++) {
      knownLeft |= !used[i] && !ops.get(i).unknown();
    }
    if (!knownLeft) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      Operation next = ops.get(i);
      if (used[i] || !respectsRealTime(order, next)) {
        continue;
      }
      RegisterState after = model.step(state, next);
      if (after == null) {
        continue;
      }
      used[i] = true;
      order.add(next);
      boolean found = linearizable(ops, order, used, after);
      order.remove(order.size() - 1);
      used[i] = false;
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** Nothing already ordered may have been called after {@code next} returned. */
  private static boolean respectsRealTime(List<Operation> order, Operation next) {
    for (Operation earlier : order) {
      if (next.returnTime() < earlier.callTime()) {
        return false;
      }
    }
    return true;
  }
}
