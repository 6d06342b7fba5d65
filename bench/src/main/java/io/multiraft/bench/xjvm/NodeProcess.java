package io.multiraft.bench.xjvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The driver's handle on one node process: its stdin for commands, a thread draining its stdout
 * into a queue of reply lines (so a full pipe never blocks the child), its stderr in a log file.
 */
final class NodeProcess {
  /** Queued after the last line once the child closed its stdout. */
  static final String END = "\u0000end-of-output";

  final long id;
  final Process process;
  final Path log;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  /** Set before the driver ends the process itself, so its exit is not a failure. */
  volatile boolean expectedExit;

  NodeProcess(long id, Process process, Path log) {
    this.id = id;
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread pump = new Thread(this::drainStdout, "node-" + id + "-stdout");
    pump.setDaemon(true);
    pump.start();
  }

  private void drainStdout() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the child is gone; END below tells the reader
    } finally {
      lines.add(END);
    }
  }

  void send(String command) throws IOException {
    stdin.write(command);
    stdin.write('\n');
    stdin.flush();
  }

  /** The next reply line, or null if none came within {@code timeoutNs}; {@link #END} once the output ended. */
  String poll(long timeoutNs) throws InterruptedException {
    String line = lines.poll(timeoutNs, TimeUnit.NANOSECONDS);
    if (END.equals(line)) {
      lines.add(END); // stays the answer to every later poll
    }
    return line;
  }

  /** The last {@code n} lines of the node's log (its stderr). */
  String logTail(int n) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
    } catch (IOException | RuntimeException e) {
      return "<cannot read " + log + ": " + e + ">";
    }
  }

  /** Kills the process and waits (bounded) until it is gone. */
  void kill() throws InterruptedException {
    expectedExit = true;
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "node " + id + " (pid " + process.pid() + ")";
  }
}
