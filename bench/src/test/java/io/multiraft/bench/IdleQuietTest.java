package io.multiraft.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the idle scenario may start measuring: the node JVMs must have stopped warming up. */
class IdleQuietTest {
  private static final double THREE_S_NS = 3e9;

  private static Map<Long, Map<String, Object>> stats(long cpuNs, long jitMs) {
    return Map.of(1L, Map.of("cpu_ns", cpuNs, "jit_ms", jitMs), 2L, Map.of("cpu_ns", 0L, "jit_ms", 0L));
  }

  // Breaks if the window may start while a JVM burns CPU without a finished compilation to show for
  // it (one long C2 compilation): that measured 0.08 cores/node, 2.5 s of JIT in a 10 s window.
  @Test
  void aNodeBusyWithoutFinishedCompilationsIsNotQuiet() {
    assertFalse(IdleProcesses.quiet(stats(0, 0), stats(150_000_000L, 0), THREE_S_NS), "5% of a core");
  }

  @Test
  void aNodeStillCompilingIsNotQuiet() {
    assertFalse(IdleProcesses.quiet(stats(0, 0), stats(30_000_000L, 200), THREE_S_NS));
  }

  @Test
  void idleNodesAreQuiet() {
    // 0.5% of a core and a stray 10 ms compilation: what 10,000 quiesced groups cost once warm.
    assertTrue(IdleProcesses.quiet(stats(0, 0), stats(15_000_000L, 10), THREE_S_NS));
  }
}
