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
 * use" (CliTlsTest, seen once in CI). These ports come from below the ephemeral range, each
 * checked free by a trial bind.
 */
final class LoopbackPorts {
  private static final int LOWEST = 10_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private LoopbackPorts() {}

  static int[] reserve(int n) throws IOException {
    return reserve(n, new SplittableRandom(), LOWEST, ephemeralStart());
  }

  /** {@code n} distinct free ports in [lowest, ephemeralStart), from a random place in it. */
  static int[] reserve(int n, SplittableRandom random, int lowest, int ephemeralStart) throws IOException {
    int span = Math.max(ephemeralStart - lowest, n);
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

  /** The first port of the OS's ephemeral range (Linux; 32768, its default, where it cannot be read). */
  static int ephemeralStart() {
    try {
      String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
      return Math.max(LOWEST + 1_000, Integer.parseInt(range[0]));
    } catch (IOException | RuntimeException e) {
      return 32_768;
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
