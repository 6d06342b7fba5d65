package io.multiraft.rangestore.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.rocksdb.util.Environment;

/**
 * A child JVM running a test's main class on the test classpath. Its {@code java.io.tmpdir} is a
 * per-run directory deleted on close, and RocksDB's native library is unpacked there once and
 * loaded through {@code java.library.path}: a killed JVM would otherwise leave ~15 MB in /tmp each
 * time (TOOLCHAIN.md), and a child with a file-size limit could not unpack it at all.
 */
final class ChildJvm implements AutoCloseable {
  private static final String END = "\u0000end-of-output";

  private final Process process;
  private final Path runDir;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> transcript = new ArrayList<>();

  private ChildJvm(Process process, Path runDir) {
    this.process = process;
    this.runDir = runDir;
    Thread pump = new Thread(() -> pump(process.getInputStream()), "child-stdout");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts {@code main} with {@code args}. {@code fileSizeLimitKb > 0} runs it under
   * {@code ulimit -f}, so a write past that size fails with EFBIG like a full disk.
   */
  static ChildJvm start(Path runDir, Class<?> main, long fileSizeLimitKb, String... args) throws IOException {
    Files.createDirectories(runDir.resolve("tmp"));
    Path lib = runDir.resolve("lib");
    Files.createDirectories(lib);
    String libFile = Environment.getJniLibraryFileName("rocksdb");
    try (InputStream in = org.rocksdb.RocksDB.class.getClassLoader().getResourceAsStream(libFile)) {
      if (in == null) {
        throw new IOException("RocksDB native library " + libFile + " not found on the classpath");
      }
      Files.copy(in, lib.resolve(libFile), StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> cmd = new ArrayList<>();
    if (fileSizeLimitKb > 0) {
      cmd.addAll(List.of("bash", "-c", "ulimit -f " + fileSizeLimitKb + " && exec \"$@\"", "bash"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add("-Djava.io.tmpdir=" + runDir.resolve("tmp"));
    cmd.add("-Djava.library.path=" + lib);
    cmd.add("-Xmx256m");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    return new ChildJvm(p, runDir);
  }

  private void pump(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("<stdout read failed: " + e + ">");
    } finally {
      lines.add(END);
    }
  }

  /** The next output line starting with {@code prefix}, waiting at most {@code timeout}; fails otherwise. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("child printed no line starting with '" + prefix + "' within " + timeout + "; output: " + transcript);
      }
      if (line.equals(END)) {
        lines.add(END);
        throw new AssertionError("child ended without a line starting with '" + prefix + "'; output: " + transcript);
      }
      transcript.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Every remaining output line, after the child exited (waiting at most {@code timeout}). */
  List<String> remainingLines(Duration timeout) throws InterruptedException {
    int code = exitCode(timeout);
    List<String> out = new ArrayList<>();
    while (true) {
      String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null || line.equals(END)) {
        break;
      }
      transcript.add(line);
      out.add(line);
    }
    out.add("exit " + code);
    return out;
  }

  int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("child did not exit within " + timeout + "; output so far: " + transcript);
    }
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  List<String> transcript() {
    return transcript;
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    if (Files.exists(runDir)) {
      try (Stream<Path> files = Files.walk(runDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
