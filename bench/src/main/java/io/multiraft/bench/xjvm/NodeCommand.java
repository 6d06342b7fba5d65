package io.multiraft.bench.xjvm;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code node} (hidden): one node process of a benchmark cluster, driven by
 * {@link ProcessCluster} over stdin/stdout with the {@link NodeProtocol}. Logs go to stderr.
 */
@Command(name = "node", hidden = true, mixinStandardHelpOptions = true,
    description = "One node of a benchmark cluster, driven over stdin/stdout by the bench driver.")
public final class NodeCommand implements Callable<Integer> {
  /** Longest a close may take before the process halts anyway: a node must never outlive its run. */
  private static final long CLOSE_DEADLINE_MS = 20_000;

  @Option(names = "--id", required = true)
  long id;

  @Option(names = "--nodes", required = true, description = "Cluster size: every group has voters 1..nodes.")
  int nodes;

  @Option(names = "--workers", defaultValue = "2")
  int workers;

  @Option(names = "--store", defaultValue = "rocks", description = "rocks or memory.")
  String store;

  @Option(names = "--data", required = true, description = "Directory of this node's log store.")
  Path data;

  @Option(names = "--cluster-id", required = true)
  String clusterId;

  @Override
  public Integer call() throws Exception {
    if (id < 1 || id > nodes || workers < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "need 1 <= --id <= --nodes and --workers >= 1");
    }
    // The protocol owns stdout; anything else printed (a library's println) goes to the log.
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    NodeRuntime rt;
    try {
      rt = new NodeRuntime(id, nodes, workers, store, data, clusterId);
    } catch (RuntimeException e) {
      protocol.println("err cannot start node " + id + ": " + String.valueOf(e).replace('\n', ' '));
      protocol.flush();
      throw e;
    }
    NodeProtocol p = new NodeProtocol(rt, in, protocol);
    try {
      p.serve();
    } finally {
      closeWithin(rt);
    }
    p.reply("ok"); // the answer to quit: the node is closed
    return 0;
  }

  private static void closeWithin(NodeRuntime rt) throws InterruptedException {
    Thread closer = new Thread(rt::close, "node-close");
    closer.start();
    closer.join(CLOSE_DEADLINE_MS);
    if (closer.isAlive()) {
      System.err.println("node " + rt.id + ": close took over " + CLOSE_DEADLINE_MS + " ms; halting");
      Runtime.getRuntime().halt(3);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new NodeCommand()).execute(args));
  }
}
