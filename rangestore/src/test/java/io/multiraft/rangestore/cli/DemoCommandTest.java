package io.multiraft.rangestore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir
  Path dir;

  @Test
  void inProcessDemoCreatesItsRangesInParallelAndReadsEveryWriteBack() {
    Object[] r = CliTest.run("demo", "--in-process", "--ranges", "60", "--churn", "2", "--split-threads", "6",
        "--dir", dir.resolve("demo").toString());
    String out = (String) r[1];
    assertEquals(0, r[0], out);
    assertTrue(out.contains("created 60 ranges by 59 splits on 6 threads"), out);
    assertTrue(out.contains(": 0 missing or wrong"), out);
    assertTrue(out.contains("demo OK"), out);
  }

  @Test
  void badCountsAreRefusedBeforeAnyNodeStarts() {
    Path data = dir.resolve("never");
    for (String[] bad : new String[][] {{"--split-threads", "0"}, {"--ranges", "0"}, {"--churn", "-1"}}) {
      Object[] r = CliTest.run("demo", "--in-process", bad[0], bad[1], "--dir", data.toString());
      assertEquals(2, r[0], (String) r[1]);
      assertTrue(((String) r[1]).contains("must be at least"), (String) r[1]);
    }
    assertFalse(Files.exists(data));
  }
}
