package io.multiraft.rangestore.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {
  @Test
  void portsAreDistinctFreeAndOutsideTheEphemeralRange() throws IOException {
    int[] ephemeral = LoopbackPorts.ephemeralRange();
    int[] ports = LoopbackPorts.reserve(3);
    assertEquals(3, Arrays.stream(ports).distinct().count());
    for (int p : ports) {
      assertTrue(p < ephemeral[0] || p > ephemeral[1], p + " inside the ephemeral range " + Arrays.toString(ephemeral));
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        assertEquals(p, s.getLocalPort());
      }
    }
  }

  @Test
  void aPortInUseIsPassedOver() throws IOException {
    try (ServerSocket held = twoFreePortsFrom(20_000)) {
      int p = held.getLocalPort();
      // Two ports to choose from, the first of them taken: whatever the random start, the other one.
      for (long seed = 0; seed < 4; seed++) {
        assertArrayEquals(new int[] {p + 1}, LoopbackPorts.reserve(1, new SplittableRandom(seed), p, p + 2));
      }
      assertThrows(IOException.class, () -> LoopbackPorts.reserve(2, new SplittableRandom(1), p, p + 2));
    }
  }

  @Test
  void anEphemeralRangeThatStartsLowLeavesThePortsAboveIt() {
    assertArrayEquals(new int[] {10_000, 32_768}, LoopbackPorts.outside(32_768, 60_999));
    assertArrayEquals(new int[] {50_001, 65_536}, LoopbackPorts.outside(1_024, 50_000));
    assertArrayEquals(new int[] {10_000, 11_000}, LoopbackPorts.outside(1_024, 65_535), "no room either side");
  }

  /** Holds a port whose successor is free too. */
  private static ServerSocket twoFreePortsFrom(int from) throws IOException {
    for (int p = from; p < from + 1_000; p++) {
      try (ServerSocket next = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
        // free
      } catch (IOException e) {
        continue;
      }
      try {
        return new ServerSocket(p, 1, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        // taken: try the next
      }
    }
    throw new IOException("no two free ports from " + from);
  }
}
