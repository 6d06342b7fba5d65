package io.multiraft.rangestore.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeds of the range store simulation. {@code -Dsim.seed=N} runs one seed and prints its trace;
 * {@code -Dsim.seeds=A-B} runs a range; by default a fixed batch small enough for every build.
 */
class RangeSimulationTest {
  private static final int DEFAULT_SEEDS = 100;

  @Test
  void seedsPass() {
    String one = System.getProperty("sim.seed");
    String range = System.getProperty("sim.seeds");
    long first = 0;
    long count = DEFAULT_SEEDS;
    boolean print = false;
    if (one != null && !one.isBlank()) {
      first = Long.parseLong(one.trim());
      count = 1;
      print = true;
    } else if (range != null && !range.isBlank()) {
      String[] p = range.trim().split("-");
      first = Long.parseLong(p[0]);
      count = Long.parseLong(p[1]) - first + 1;
    }
    List<String> failures = new ArrayList<>();
    for (long s = first; s < first + count; s++) {
      RangeSimulation sim = new RangeSimulation(s, print);
      String f = sim.run();
      if (f != null) {
        failures.add("seed " + s + ": " + f + (count == 1 ? "" : "\n" + sim.trace.tail().lines().skip(250).reduce("", (a, b) -> a + "\n    " + b)));
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + count + " seeds failed:\n" + String.join("\n", failures));
    }
  }

  @Test
  void sameSeedSameTrace() {
    RangeSimulation a = new RangeSimulation(4242, false);
    String fa = a.run();
    RangeSimulation b = new RangeSimulation(4242, false);
    String fb = b.run();
    assertEquals(fa, fb);
    assertEquals(a.trace.count(), b.trace.count());
    assertEquals(a.trace.hash(), b.trace.hash(), "the same seed must replay the same run");
  }
}
