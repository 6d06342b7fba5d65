package io.multiraft.rangestore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against in-process nodes serving admin requests on their listeners: output, redirects, exit codes. */
class CliTest {
  @TempDir Path dir;
  NettyNodes cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Runs the command line; returns exit code and captured stdout + stderr. */
  static Object[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true);
    System.setOut(capture);
    System.setErr(capture);
    try {
      int code = RangeStoreMain.run(args);
      return new Object[] {code, buf.toString()};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  void startWithAdmins(int nodes, int replicas) throws Exception {
    cluster = new NettyNodes(dir, nodes, replicas, id -> null);
  }

  String node(long id) {
    return cluster.address(id);
  }

  @Test
  void adminCommandsSplitMoveAndMergeThroughAnyNode() throws Exception {
    startWithAdmins(4, 3);
    Object[] put = run("admin", "put", "--node", node(2), "--key", "q", "--value", "1");
    assertEquals(0, put[0], (String) put[1]);
    Object[] split = run("admin", "split", "--node", node(3), "--range", "1", "--key", "m");
    assertEquals(0, split[0], (String) split[1]);
    Object[] ranges = run("admin", "ranges", "--node", node(1), "--json");
    assertEquals(0, ranges[0]);
    assertTrue(((String) ranges[1]).contains("\"end\":\"m\""), (String) ranges[1]);
    long right = cluster.node(1).router().lookup("q".getBytes()).rangeId();
    Object[] add = run("admin", "relocate", "--node", node(1), "--range", String.valueOf(right), "--targets", "2,3,4");
    assertEquals(0, add[0], (String) add[1]);
    assertTrue(((String) add[1]).contains("voters=[2, 3, 4]"), (String) add[1]);
    Object[] merge = run("admin", "merge", "--node", node(4), "--range", "1");
    assertEquals(0, merge[0], (String) merge[1]);
    assertTrue(((String) merge[1]).contains("+inf"), (String) merge[1]);
    Object[] get = run("admin", "get", "--node", node(1), "--key", "q");
    assertEquals(0, get[0], (String) get[1]);
    assertEquals("1", ((String) get[1]).trim());
  }

  @Test
  void refusalsAndUnreachableNodesHaveTheirExitCodes() throws Exception {
    startWithAdmins(3, 3);
    Object[] atStart = run("admin", "split", "--node", node(1), "--range", "1", "--key", "");
    assertEquals(1, atStart[0], (String) atStart[1]);
    assertTrue(((String) atStart[1]).contains("strictly inside"), (String) atStart[1]);
    Object[] unknownNode = run("admin", "relocate", "--node", node(1), "--range", "1", "--targets", "1,2,9");
    assertEquals(1, unknownNode[0], (String) unknownNode[1]);
    Object[] noMerge = run("admin", "merge", "--node", node(1), "--range", "1");
    assertEquals(1, noMerge[0], (String) noMerge[1]);
    assertTrue(((String) noMerge[1]).contains("no right neighbour"), (String) noMerge[1]);
    Object[] down = run("admin", "ranges", "--node", "127.0.0.1:1");
    assertEquals(3, down[0], (String) down[1]);
    assertTrue(((String) down[1]).contains("unreachable"), (String) down[1]);
    Object[] usage = run("admin", "split", "--node", node(1));
    assertEquals(2, usage[0], (String) usage[1]);
  }

  @Test
  void aMalformedConfigFileIsRefusedWithTheKeyAndNoDataDirectory() throws Exception {
    Path data = dir.resolve("data");
    Path cfg = dir.resolve("n1.properties");
    Files.writeString(cfg, "node.id=1\ndata.dir=" + data + "\nlisten=127.0.0.1:0\npeers=2@127.0.0.1:7002/127.0.0.1:8002\n");
    Object[] r = run("server", "--config", cfg.toString());
    assertEquals(2, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("ID@HOST:PORT"), (String) r[1]);
    Files.writeString(cfg, "node.id=one\ndata.dir=" + data + "\n");
    r = run("server", "--config", cfg.toString());
    assertEquals(2, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("node.id"), (String) r[1]);
    Files.writeString(cfg, "node.id=1\ndata.dir=" + data + "\nlisten=127.0.0.1:0\ntypo=1\n");
    r = run("server", "--config", cfg.toString());
    assertEquals(2, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("unknown key 'typo'"), (String) r[1]);
    assertFalse(Files.exists(data));
  }
}
