package io.multiraft.sim.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The checker relies on the {@link Model} contract only, not on the register's particulars. */
class PluggableModelTest {

  /** The register, except that it refuses every operation whose outcome is unknown. */
  private static final class NoUnknownEffects implements Model<RegisterState> {
    private final RegisterModel register = new RegisterModel();

    @Override
    public RegisterState init() {
      return register.init();
    }

    @Override
    public RegisterState step(RegisterState state, Operation op) {
      return op.unknown() ? null : register.step(state, op);
    }
  }

  /**
   * The register with its value in a {@code long[]} ({@code {present, value}}), whose identity
   * {@code equals} would make every state look new to the cache without the model's own equality.
   */
  private static final class ArrayRegister implements Model<long[]> {
    private final RegisterModel register = new RegisterModel();

    @Override
    public long[] init() {
      return new long[] {0, 0};
    }

    @Override
    public long[] step(long[] state, Operation op) {
      RegisterState next = register.step(RegisterState.of(state[0] == 0 ? null : state[1]), op);
      if (next == null) {
        return null;
      }
      return next.value() == null ? new long[] {0, 0} : new long[] {1, next.value()};
    }

    @Override
    public boolean equal(long[] a, long[] b) {
      return Arrays.equals(a, b);
    }

    @Override
    public int hash(long[] state) {
      return Arrays.hashCode(state);
    }

    @Override
    public String describe(long[] state) {
      return state[0] == 0 ? "absent" : Long.toString(state[1]);
    }
  }

  @Test
  void unknownOperationsMayBeLeftOutEvenWhereTheModelAcceptsThemNowhere() {
    History h = new History();
    h.write(0, "x", 1L, 0, 5);
    h.unknownWrite(1, "x", 2L, 1);
    h.read(2, "x", 10, 11, 1L);
    CheckResult r = new LinearizabilityChecker<>(new NoUnknownEffects()).check(h);
    assertEquals(Verdict.OK, r.verdict(), r::toString);
  }

  @Test
  void theCacheComparesStatesThroughTheModel() {
    History h = new History();
    for (int c = 0; c < 12; c++) {
      h.write(c, "x", (long) c, 0, 100);
    }
    h.read(12, "x", 101, 102, 99L);
    // within budget only if reaching the same value by another order of the writes counts as seen
    CheckResult r = new LinearizabilityChecker<>(new ArrayRegister()).withMaxStepsPerKey(2_000_000).check(h);
    assertEquals(Verdict.ILLEGAL, r.verdict(), r::toString);
  }
}
