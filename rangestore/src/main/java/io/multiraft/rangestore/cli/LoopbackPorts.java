package io.multiraft.rangestore.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Loopback ports for nodes that must know each other's listen addresses before any of them
 * listens. A port the OS picks (bind to port 0) comes from its ephemeral range, which it also
 * uses for the local end of outgoing connections: a node started first, dialling its peers, can
 * take a later node's port that way, and that node's listen then fails with "Address already in
 * use" (CliTlsTest, seen once). These ports come from outside the ephemeral range, each checked
 * free by a trial bind.
 */
final class LoopbackPorts {
  private static final int LOWEST = 10_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private LoopbackPorts() {}

  static int[] reserve(int n) throws IOException {
    int[] range = ephemeralRange();
    int[] outside = outside(range[0], range[1]);
    return reserve(n, new SplittableRandom(), outside[0], outside[1]);
  }

  /**
   * Ports outside the ephemeral range [low, high]: below it from {@link #LOWEST}, or above it where
   * it starts too low to leave a thousand (some containers use 1024-65535). With no room either
   * side, ports from LOWEST, and the race comes back.
   */
  static int[] outside(int low, int high) {
    if (low - LOWEST >= 1_000) {
      return new int[] {LOWEST, low};
    }
    if (65_535 - high >= 1_000) {
      return new int[] {high + 1, 65_536};
    }
    return new int[] {LOWEST, LOWEST + 1_000};
  }

  /** {@code n} distinct free ports in [lowest, end), from a random place in it. */
  static int[] reserve(int n, SplittableRandom random, int lowest, int end) throws IOException {
    int span = Math.max(end - lowest, n);
    int start = random.nextInt(span);
    int[] out = new int[n];
    int found = 0;
    for (int i = 0; i < span && found < n; i++) {
      int port = lowest + (start + i) % span;
      if (free(port)) {
        out[found++] = port;
      }
    }
    if (found < n) {
      throw new IOException("no " + n + " free loopback ports in [" + lowest + ", " + (lowest + span) + ")");
    }
    return out;
  }

  /** The OS's ephemeral range [low, high] (Linux; its default, 32768-60999, where it cannot be read). */
  static int[] ephemeralRange() {
    try {
      String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
      return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
    } catch (IOException | RuntimeException e) {
      return new int[] {32_768, 60_999};
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
