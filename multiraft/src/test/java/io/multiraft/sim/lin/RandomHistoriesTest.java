package io.multiraft.sim.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Many seeded histories of a correct register must all be accepted, and each becomes unacceptable
 * once one of its reads is made to return a value nobody wrote.
 */
class RandomHistoriesTest {

  private static final long SEED = 20240611L;
  private static final int HISTORIES = 500;
  private static final long BUDGET = 5_000_000;

  private final LinearizabilityChecker<RegisterState> checker =
      LinearizabilityChecker.forRegisters().withMaxStepsPerKey(BUDGET);

  @Test
  void historiesOfACorrectRegisterAreAllLinearizable() {
    RandomRegisterHistories histories = new RandomRegisterHistories(SEED, 5, 30, 3, 0.05);
    for (int i = 0; i < HISTORIES; i++) {
      List<Operation> ops = histories.next().operations();
      CheckResult r = checker.check(ops);
      int n = i;
      assertEquals(Verdict.OK, r.verdict(), () -> "history " + n + ": " + r);
    }
  }

  @Test
  void aReadOfAValueNeverWrittenIsAlwaysCaught() {
    RandomRegisterHistories histories = new RandomRegisterHistories(SEED + 1, 5, 30, 3, 0.05);
    Random pick = new Random(SEED);
    int mutated = 0;
    for (int i = 0; i < HISTORIES; i++) {
      List<Operation> ops = new ArrayList<>(histories.next().operations());
      List<Integer> reads = new ArrayList<>();
      for (int j = 0; j < ops.size(); j++) {
        if (ops.get(j).kind() == OpKind.READ && !ops.get(j).unknown()) {
          reads.add(j);
        }
      }
      if (reads.isEmpty()) {
        continue;
      }
      int j = reads.get(pick.nextInt(reads.size()));
      Operation bad = withOutput(ops.get(j), RandomRegisterHistories.NEVER_WRITTEN + i);
      ops.set(j, bad);
      CheckResult r = checker.check(ops);
      assertEquals(Verdict.ILLEGAL, r.verdict(), () -> "mutated " + bad + ": " + r);
      assertEquals(bad.key(), r.key());
      assertTrue(r.explanation().contains(bad.toString()), r::explanation);
      mutated++;
    }
    assertTrue(mutated > HISTORIES * 9 / 10, "only " + mutated + " histories had a read to mutate");
  }

  @Test
  void aLongHistoryOverManyKeysIsCheckedWithinItsBudget() {
    History h = new RandomRegisterHistories(SEED + 2, 5, 200, 10, 0.05).next();
    CheckResult r = checker.check(h);
    assertEquals(Verdict.OK, r.verdict(), r::toString);
    assertEquals(10, r.verdictsByKey().size());
  }

  private static Operation withOutput(Operation op, long output) {
    return new Operation(op.id(), op.clientId(), op.key(), op.kind(), op.input(), op.expected(),
        output, op.succeeded(), op.callTime(), op.returnTime(), op.unknown());
  }
}
