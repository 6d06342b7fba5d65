package io.multiraft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Seeds of the deterministic simulation. {@code -Dsim.seed=N} replays one seed;
 * {@code -Dsim.seeds=N -Dsim.start=S} runs N seeds from S (a soak). CI runs a fixed set.
 */
class SimulationTest {
  private static final int CI_SEEDS = 300;

  static String replayCommand(long seed) {
    return "mvn -B -ntp -pl multiraft -am test -Dtest=SimulationTest#seeds -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=" + seed;
  }

  static String check(long seed) {
    Simulation sim = new Simulation(seed);
    String failure = sim.run();
    if (failure == null) {
      failure = SimHistoryCheck.check(sim.history);
    }
    if (failure == null) {
      return null;
    }
    return "seed " + seed + " failed: " + failure + "\nreplay: " + replayCommand(seed)
        + "\nparams: " + sim.params + "\nlast events:\n" + sim.trace.tail();
  }

  @Test
  void seeds() {
    String one = System.getProperty("sim.seed");
    long start = Long.getLong("sim.start", 1);
    int count = Integer.getInteger("sim.seeds", CI_SEEDS);
    if (one != null && !one.isBlank()) {
      start = Long.parseLong(one);
      count = 1;
    }
    for (long seed = start; seed < start + count; seed++) {
      String failure = check(seed);
      if (failure != null) {
        fail(failure);
      }
    }
  }

  @Test
  void sameSeedSameTrace() {
    for (long seed : new long[] {3, 17, 42}) {
      Simulation a = new Simulation(seed);
      Simulation b = new Simulation(seed);
      assertEquals(a.run(), b.run());
      assertEquals(a.trace.count(), b.trace.count(), "events of seed " + seed);
      assertEquals(a.trace.hash(), b.trace.hash(), "trace of seed " + seed);
    }
  }

  /** The history check has teeth: reads that skip the read index return stale values under partitions. */
  @Test
  void staleReadsAreCaught() {
    String caught = null;
    for (long seed = 1; seed <= 200 && caught == null; seed++) {
      Simulation sim = new Simulation(seed);
      sim.plantStaleReads = true;
      caught = sim.run();
      if (caught == null) {
        caught = SimHistoryCheck.check(sim.history);
      }
      if (caught != null) {
        System.out.println("stale reads caught by seed " + seed + ": " + caught.lines().findFirst().orElse(""));
      }
    }
    assertNotNull(caught, "200 seeds with stale reads found nothing: the history check has no teeth");
  }

  /** The checks have teeth: a disk that lies about fsync makes acknowledged entries vanish in crashes. */
  @Test
  void lyingDiskIsCaught() {
    String caught = null;
    for (long seed = 1; seed <= 200 && caught == null; seed++) {
      Simulation sim = new Simulation(seed);
      sim.plantLyingDisk = true;
      caught = sim.run();
      if (caught == null) {
        caught = SimHistoryCheck.check(sim.history);
      }
      if (caught != null) {
        System.out.println("lying disk caught by seed " + seed + ": " + caught.lines().findFirst().orElse(""));
      }
    }
    assertNotNull(caught, "200 seeds with a lying disk found nothing: the simulator has no teeth");
  }
}
