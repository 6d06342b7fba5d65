package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {

  /** A flag this JVM does not know would stop every node process we start: they must all be accepted. */
  @Test
  void theRecommendedFlagsStartThisJvm() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JvmFlags.forNode());
    cmd.add("-XX:+PrintFlagsFinal");
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not exit");
    assertEquals(0, p.exitValue(), out);
    if (!JvmFlags.forNode().isEmpty()) {
      assertTrue(out.matches("(?s).*G1ConcRefinementGreenZone\\s+=\\s+1000000\\s.*"), "the green zone was not taken");
    }
  }

  @Test
  void newerJvmsGetNoneOfTheObsoleteRefinementFlags() {
    assertTrue(JvmFlags.forNode(21).isEmpty());
    assertEquals(4, JvmFlags.forNode(17).size());
  }
}
