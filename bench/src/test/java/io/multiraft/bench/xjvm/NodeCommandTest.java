package io.multiraft.bench.xjvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node process on its own: the protocol, and no orphan when its driver goes away. */
class NodeCommandTest {
  @TempDir
  Path dir;

  private Process start() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
        "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"), NodeCommand.class.getName(),
        "--id", "1", "--nodes", "1", "--store", "memory", "--data", dir.resolve("data").toString(),
        "--cluster-id", "test"));
    return new ProcessBuilder(cmd).redirectError(dir.resolve("node.log").toFile()).start();
  }

  @Test
  void answersEachCommandWithOneLineAndQuits() throws Exception {
    Process p = start();
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter cmd = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
      assertTrue(in.readLine().matches("ok listening \\d+"));
      cmd.println("create-groups 1 3");
      assertEquals("ok", in.readLine());
      cmd.println("stats");
      Map<String, Object> stats = FlatJson.parse(in.readLine().substring(3));
      assertEquals(3L, stats.get("groups"));
      assertTrue((Long) stats.get("cpu_ns") > 0 && (Long) stats.get("rss_bytes") > 0, stats.toString());
      cmd.println("bogus 1");
      assertTrue(in.readLine().startsWith("err IllegalArgumentException: unknown command 'bogus'"));
      cmd.println("quit");
      assertEquals("ok", in.readLine());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void exitsWhenItsInputCloses() throws Exception {
    Process p = start();
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      assertTrue(in.readLine().startsWith("ok listening"));
      p.getOutputStream().close(); // what a driver killed with -9 leaves its nodes
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node still running after its stdin closed");
      assertEquals(0, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void flatJsonRoundTrips() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("a", 1L);
    m.put("b", -2.5);
    m.put("s", "x\"y\\z");
    m.put("t", true);
    assertEquals(m, FlatJson.parse(FlatJson.write(m)));
    assertEquals(Map.of(), FlatJson.parse("{}"));
  }
}
