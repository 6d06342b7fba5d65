package io.multiraft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Bad command lines end with the usage and exit code 2, before any node or peer starts. */
class UsageTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return BenchMain.commandLine().setErr(new PrintWriter(err, true)).execute(args);
  }

  @Test
  void unknownScenario() {
    assertEquals(2, run("nosuchscenario"));
    assertTrue(err.toString().contains("Usage: bench"), err.toString());
  }

  @Test
  void noScenario() {
    assertEquals(2, run());
  }

  @Test
  void unknownFlag() {
    assertEquals(2, run("throughput", "--no-such-flag"));
    assertTrue(err.toString().contains("Unknown option: '--no-such-flag'"), err.toString());
    assertTrue(err.toString().contains("Usage: bench throughput"), err.toString());
  }

  @Test
  void unknownPeer() {
    assertEquals(2, run("idle", "--peer", "ratis"));
    assertTrue(err.toString().contains("sofajraft"), "the usage names the peers there are: " + err);
  }

  @Test
  void badCountsAndMissingValues() {
    assertEquals(2, run("scale", "--groups", "0"));
    assertEquals(2, run("scale", "--groups", "ten"));
    assertEquals(2, run("throughput", "--json"));
  }
}
