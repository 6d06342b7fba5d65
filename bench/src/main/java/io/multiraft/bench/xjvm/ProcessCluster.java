package io.multiraft.bench.xjvm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * N node JVMs on loopback, each a {@link NodeCommand} with its own log store, driven over the
 * {@link NodeProtocol}. All files of the run (data, logs, the nodes' tmpdir) live in one run
 * directory deleted on close, failure included.
 *
 * <p>A node that exits unless the driver asked for it fails the run at once: every wait here
 * ({@link #call}, {@link #pause}, {@link #await}) watches for it and throws a
 * {@link ClusterFailure} naming the node, its exit code and the end of its log. After a failure
 * {@link #close} kills the other nodes instead of asking them to quit. A shutdown hook kills the
 * nodes if the driver JVM exits without closing.
 */
public final class ProcessCluster implements AutoCloseable {
  private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long START_TIMEOUT_MS = 120_000;
  private static final long QUIT_TIMEOUT_MS = 30_000;
  private static final int LOG_TAIL_LINES = 30;

  /**
   * @param jvmFlags flags every node JVM needs (agrona's exports, native access); heap options too
   * @param runParent where the run directory is created
   */
  public record Spec(int nodes, int workers, String store, Path runParent, List<String> jvmFlags) {}

  private final Path runDir;
  private final Map<Long, NodeProcess> nodes = new LinkedHashMap<>();
  /** Completed with the first node that exited without being asked to. */
  private final CompletableFuture<NodeProcess> death = new CompletableFuture<>();
  private final Thread shutdownHook;
  private final Consumer<String> progress;
  private volatile boolean failed;

  private ProcessCluster(Path runDir, Consumer<String> progress) {
    this.runDir = runDir;
    this.progress = progress;
    this.shutdownHook = new Thread(() -> {
      killAll();
      RunDir.delete(runDir);
    }, "bench-kill-nodes");
  }

  /** Starts the node JVMs, waits until all listen and tells each the others' ports. */
  public static ProcessCluster start(Spec spec, Consumer<String> progress) throws IOException, InterruptedException {
    Path run = RunDir.create(spec.runParent());
    progress.accept("starting " + spec.nodes() + " node JVMs (" + spec.store() + " log store, "
        + spec.workers() + " raft workers each)");
    ProcessCluster c = new ProcessCluster(run, progress);
    Runtime.getRuntime().addShutdownHook(c.shutdownHook);
    try {
      long t0 = System.nanoTime();
      String clusterId = "bench-" + UUID.randomUUID(); // a stray node of another run cannot join this one
      for (long id = 1; id <= spec.nodes(); id++) {
        c.launch(spec, id, clusterId);
      }
      Map<Long, Integer> ports = new LinkedHashMap<>();
      for (NodeProcess n : c.nodes.values()) {
        String listening = c.reply(n, "start", START_TIMEOUT_MS);
        ports.put(n.id, Integer.parseInt(listening.substring("listening ".length()).trim()));
      }
      // All at once: each node answers when its links to the others are up.
      Map<Long, String> peerCmds = new LinkedHashMap<>();
      for (NodeProcess n : c.nodes.values()) {
        StringJoiner peers = new StringJoiner(",");
        ports.forEach((id, port) -> {
          if (id != n.id) {
            peers.add(id + "=" + port);
          }
        });
        peerCmds.put(n.id, "peers " + peers);
      }
      c.callEach(peerCmds, 70_000);
      progress.accept(String.format("%d node JVMs up in %d ms (ports %s), run dir %s", spec.nodes(),
          (System.nanoTime() - t0) / 1_000_000, ports.values(), run));
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.failed = true;
      c.close();
      throw e;
    }
  }

  private void launch(Spec spec, long id, String clusterId) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(spec.jvmFlags());
    cmd.add("-Djava.io.tmpdir=" + RunDir.tmp(runDir));
    cmd.add("-Djava.library.path=" + RunDir.lib(runDir));
    cmd.add("-cp");
    cmd.add(absoluteClassPath());
    cmd.add(NodeCommand.class.getName());
    cmd.addAll(List.of("--id", Long.toString(id), "--nodes", Integer.toString(spec.nodes()),
        "--workers", Integer.toString(spec.workers()), "--store", spec.store(),
        "--data", RunDir.data(runDir, id).toString(), "--cluster-id", clusterId));
    Path log = RunDir.log(runDir, id);
    Process p = new ProcessBuilder(cmd)
        .redirectError(log.toFile())
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    NodeProcess n = new NodeProcess(id, p, log);
    nodes.put(id, n);
    p.onExit().thenRun(() -> {
      if (!n.expectedExit) {
        death.complete(n);
      }
    });
  }

  /** This JVM's class path with absolute entries, so it holds whatever the children's working directory. */
  private static String absoluteClassPath() {
    StringJoiner j = new StringJoiner(File.pathSeparator);
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        j.add(Path.of(e).toAbsolutePath().toString());
      }
    }
    return j.toString();
  }

  public Path runDir() {
    return runDir;
  }

  /** Ids of the nodes not killed by {@link #kill}. */
  public List<Long> live() {
    List<Long> ids = new ArrayList<>();
    for (NodeProcess n : nodes.values()) {
      if (!n.expectedExit) {
        ids.add(n.id);
      }
    }
    return ids;
  }

  /** Sends a command to one node and returns its reply after {@code ok} (empty if none). */
  public String call(long node, String command, long timeoutMs) throws InterruptedException {
    return callEach(Map.of(node, command), timeoutMs).get(node);
  }

  /** {@link #call} whose reply is a {@link FlatJson} object. */
  public Map<String, Object> callJson(long node, String command, long timeoutMs) throws InterruptedException {
    return FlatJson.parse(call(node, command, timeoutMs));
  }

  /** Sends the same command to every live node at once; replies by node id. */
  public Map<Long, String> callAll(String command, long timeoutMs) throws InterruptedException {
    Map<Long, String> cmds = new LinkedHashMap<>();
    for (long id : live()) {
      cmds.put(id, command);
    }
    return callEach(cmds, timeoutMs);
  }

  /** {@link #callAll} whose replies are {@link FlatJson} objects. */
  public Map<Long, Map<String, Object>> callAllJson(String command, long timeoutMs) throws InterruptedException {
    Map<Long, Map<String, Object>> out = new LinkedHashMap<>();
    callAll(command, timeoutMs).forEach((id, r) -> out.put(id, FlatJson.parse(r)));
    return out;
  }

  /** Sends each node its command, all before waiting for any reply; replies by node id. */
  public Map<Long, String> callEach(Map<Long, String> commands, long timeoutMs) throws InterruptedException {
    for (var e : commands.entrySet()) {
      NodeProcess n = node(e.getKey());
      try {
        n.send(e.getValue());
      } catch (IOException ex) {
        throw fail(diedOr(n, "cannot send '" + e.getValue() + "' to " + n + ": " + ex));
      }
    }
    Map<Long, String> out = new LinkedHashMap<>();
    for (var e : commands.entrySet()) {
      out.put(e.getKey(), reply(node(e.getKey()), e.getValue(), timeoutMs));
    }
    return out;
  }

  private void callEachQuitting(Map<Long, String> quit) throws InterruptedException {
    for (var e : quit.entrySet()) {
      try {
        nodes.get(e.getKey()).send(e.getValue());
      } catch (IOException ex) {
        throw fail(nodes.get(e.getKey()) + " cannot be told to quit: " + ex);
      }
    }
    for (long id : quit.keySet()) {
      reply(nodes.get(id), "quit", QUIT_TIMEOUT_MS);
    }
  }

  private NodeProcess node(long id) {
    NodeProcess n = nodes.get(id);
    if (n == null || n.expectedExit) {
      throw new IllegalArgumentException("no live node " + id);
    }
    return n;
  }

  private String reply(NodeProcess n, String command, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      checkNoDeath("'" + command + "'");
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw fail(n + " did not answer '" + command + "' within " + timeoutMs + " ms");
      }
      String line = n.poll(Math.min(left, POLL_NS));
      if (line == null) {
        continue;
      }
      if (line.equals(NodeProcess.END)) {
        n.process.waitFor(10, TimeUnit.SECONDS); // it closed its output: it is exiting
        throw fail(diedOr(n, n + " closed its output during '" + command + "'"));
      }
      if (line.equals("ok") || line.startsWith("ok ")) {
        return line.length() > 2 ? line.substring(3) : "";
      }
      throw fail(n + " answered '" + command + "' with: " + line + "\nlast lines of its log " + n.log + ":\n"
          + n.logTail(LOG_TAIL_LINES));
    }
  }

  /** Waits {@code ms} (a measurement window, a warm-up), failing at once if a node dies meanwhile. */
  public void pause(long ms) throws InterruptedException {
    try {
      NodeProcess dead = death.get(ms, TimeUnit.MILLISECONDS);
      throw fail(diedMessage(dead, "a pause of " + ms + " ms"));
    } catch (TimeoutException e) {
      // the whole pause passed with every node alive
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A condition over the cluster's state, usually asked of the nodes. */
  public interface Check {
    boolean holds() throws InterruptedException;
  }

  /** Polls {@code cond} (which may call nodes) until true; returns the milliseconds it took. */
  public long await(String what, long timeoutMs, Check cond) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!cond.holds()) {
      if (System.nanoTime() > deadline) {
        throw fail("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      pause(TimeUnit.NANOSECONDS.toMillis(POLL_NS));
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** kill -9 of one node (a crash the run asked for); the others carry on. */
  public void kill(long id) throws InterruptedException {
    NodeProcess n = node(id);
    n.kill();
    if (n.process.isAlive()) {
      throw fail(n + " is still alive 30 s after kill -9");
    }
  }

  private void checkNoDeath(String during) {
    NodeProcess dead = death.getNow(null);
    if (dead != null) {
      throw fail(diedMessage(dead, during));
    }
  }

  /** The died message if {@code n} is dead (or dying), else {@code otherwise}. */
  private String diedOr(NodeProcess n, String otherwise) throws InterruptedException {
    n.process.waitFor(2, TimeUnit.SECONDS);
    return n.process.isAlive() ? otherwise : diedMessage(n, otherwise);
  }

  private static String diedMessage(NodeProcess n, String during) {
    String code = n.process.isAlive() ? "still running" : Integer.toString(n.process.exitValue());
    return n + " died (exit code " + code + ") during " + during + "; last lines of its log " + n.log + ":\n"
        + n.logTail(LOG_TAIL_LINES);
  }

  private ClusterFailure fail(String message) {
    failed = true;
    return new ClusterFailure(message);
  }

  /**
   * Asks every node to quit (closing in order) and waits for it; after a failure, or for a node
   * that does not quit in time, kills instead. Prints the nodes' logs after a failure. Deletes the
   * run directory in every case.
   */
  @Override
  public void close() {
    try {
      if (!failed) {
        quitAll();
      }
    } catch (RuntimeException | InterruptedException e) {
      failed = true;
      System.err.println("bench: nodes did not quit cleanly: " + e.getMessage());
    } finally {
      killAll();
      if (failed) {
        for (NodeProcess n : nodes.values()) {
          System.err.println("---- " + n + ", last lines of its log:\n" + n.logTail(LOG_TAIL_LINES));
        }
      }
      RunDir.keepLogs(runDir, nodes.keySet());
      RunDir.delete(runDir);
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (harmlessly) anyway
      }
    }
  }

  private void quitAll() throws InterruptedException {
    Map<Long, String> quit = new LinkedHashMap<>();
    for (long id : live()) {
      quit.put(id, "quit");
    }
    for (NodeProcess n : nodes.values()) {
      n.expectedExit = true; // a node answers quit and exits: its exit must not fail the others' replies
    }
    callEachQuitting(quit);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIT_TIMEOUT_MS);
    for (long id : quit.keySet()) {
      NodeProcess n = nodes.get(id);
      long left = Math.max(0, deadline - System.nanoTime());
      if (!n.process.waitFor(left, TimeUnit.NANOSECONDS)) {
        throw new ClusterFailure(n + " did not exit within " + QUIT_TIMEOUT_MS + " ms of quit");
      }
      if (n.process.exitValue() != 0) {
        throw new ClusterFailure(n + " exited with " + n.process.exitValue() + " after quit");
      }
    }
    progress.accept("nodes closed");
  }

  /** Kills every node still running and waits until each is gone (also the shutdown hook). */
  private void killAll() {
    for (NodeProcess n : nodes.values()) {
      n.expectedExit = true;
      n.process.destroyForcibly();
    }
    for (NodeProcess n : nodes.values()) {
      try {
        n.process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
