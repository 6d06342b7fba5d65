package io.multiraft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Seeds of the simulation with lease reads: partitions, drops, crashes and failure reports while
 * leaders answer reads on their lease; the client history must stay linearizable. The virtual
 * clocks tick at one rate, which is the assumption every lease makes.
 * {@code -Dsim.lease.seeds=N} runs more, {@code -Dsim.lease.start=S} from seed S.
 */
class LeaseSimulationTest {
  private static final int CI_SEEDS = 30;

  // Breaks if lease mode costs linearizability or liveness under the simulator's faults. It is a
  // soak, not a proof of the lease's guard: a naive lease (answer while leader, no vote guard)
  // passed these seeds when tried; LeaseReadTest and LeaseReadStoreTest catch that one.
  @Test
  void leaseReadsStayLinearizable() {
    int count = Integer.getInteger("sim.lease.seeds", CI_SEEDS);
    long leaseReads = 0;
    long first = Long.getLong("sim.lease.start", 1);
    for (long seed = first; seed < first + count; seed++) {
      Simulation sim = new Simulation(seed);
      sim.leaseReads = true;
      String failure = sim.run();
      if (failure == null) {
        failure = SimHistoryCheck.check(sim.history);
      }
      if (failure != null) {
        fail("lease seed " + seed + " failed: " + failure + "\nparams: " + sim.params + "\nlast events:\n" + sim.trace.tail());
      }
      leaseReads += sim.leaseReadCount();
    }
    assertTrue(leaseReads > 0, "no read was answered on a lease: the seeds did not exercise it");
  }
}
