package io.multiraft.bench.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one child process to completion within a hard bound, and never leaves it behind: it is
 * killed on timeout, on any failure of this thread, and from a shutdown hook if this JVM exits
 * first. (The peer child also exits when its stdin, held open here, reaches end of file: that
 * covers this JVM being killed outright.) Collects the child's last JSON line from stdout and its
 * {@code peer-progress} lines and last lines from stderr.
 */
final class ChildJvm {
  private static final int STDERR_TAIL_LINES = 20;
  private static final long KILL_WAIT_MS = 30_000;

  /**
   * @param exitCode the child's exit code, or -1 if it had to be killed
   * @param killed whether the hard bound ran out
   * @param jsonLine the last stdout line that looks like a JSON object, or null
   * @param progress the latest value of every key in the stderr {@code peer-progress} lines
   * @param stderrTail the last lines of stderr, for the error message of a child that died
   */
  record Outcome(int exitCode, boolean killed, String jsonLine, Map<String, String> progress,
      List<String> stderrTail) {}

  private ChildJvm() {}

  /**
   * @param onJvmExit run by the shutdown hook once the child is dead (cleaning up its files): when
   *     this JVM exits mid-run, the caller's own clean-up after this method never runs
   */
  static Outcome run(List<String> command, Path workingDir, long boundMs, Runnable onJvmExit)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(workingDir.toFile()).start();
    Thread hook = new Thread(() -> {
      kill(p);
      onJvmExit.run();
    }, "peer-child-killer");
    Runtime.getRuntime().addShutdownHook(hook);
    String[] json = new String[1];
    Map<String, String> progress = new HashMap<>();
    Deque<String> tail = new ArrayDeque<>();
    Thread out = drain(p.getInputStream(), "peer-stdout", line -> {
      if (line.startsWith("{")) {
        synchronized (json) {
          json[0] = line;
        }
      }
    });
    Thread err = drain(p.getErrorStream(), "peer-stderr", line -> {
      synchronized (tail) {
        if (line.startsWith("peer-progress ")) {
          for (String kv : line.substring(14).trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
              progress.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
          }
        }
        tail.addLast(line);
        if (tail.size() > STDERR_TAIL_LINES) {
          tail.removeFirst();
        }
      }
    });
    boolean killed = false;
    try {
      if (!p.waitFor(boundMs, TimeUnit.MILLISECONDS)) {
        killed = true;
      }
    } finally {
      kill(p); // a no-op once it has exited; otherwise timeout, interrupt or error: it must not outlive us
      removeHook(hook);
    }
    // once the process is gone its pipes reach end of file, so these joins are short
    out.join(KILL_WAIT_MS);
    err.join(KILL_WAIT_MS);
    synchronized (tail) {
      synchronized (json) {
        return new Outcome(killed ? -1 : p.exitValue(), killed, json[0], Map.copyOf(progress), List.copyOf(tail));
      }
    }
  }

  /** Kills the child (and anything it started) and waits for it to be gone. */
  static void kill(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      if (!p.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS)) {
        System.err.println("peer child " + p.pid() + " survived SIGKILL for " + KILL_WAIT_MS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // this JVM is already shutting down: the hook runs and finds the child gone
    }
  }

  private static Thread drain(InputStream in, String name, Consumer<String> onLine) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          onLine.accept(line);
        }
      } catch (IOException e) {
        // the pipe closed under us: the child is gone, and the outcome says so
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
