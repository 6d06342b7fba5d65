package io.multiraft.bench.xjvm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rocksdb.util.Environment;

/**
 * The directory of one cluster run: node data, node logs, and the nodes' {@code java.io.tmpdir}.
 * RocksDB's native library (~15 MB) is unpacked once into {@code lib/} and loaded from
 * {@code java.library.path}, instead of into every node's tmpdir (a killed JVM leaves it behind).
 */
final class RunDir {
  private RunDir() {}

  static Path create(Path parent) throws IOException {
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "bench-run-");
    Files.createDirectories(dir.resolve("tmp"));
    Path lib = Files.createDirectories(dir.resolve("lib"));
    String libFile = Environment.getJniLibraryFileName("rocksdb");
    try (InputStream in = org.rocksdb.RocksDB.class.getClassLoader().getResourceAsStream(libFile)) {
      if (in != null) { // absent: each node unpacks it into its tmpdir, which is in the run dir too
        Files.copy(in, lib.resolve(libFile), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  static Path tmp(Path run) {
    return run.resolve("tmp");
  }

  static Path lib(Path run) {
    return run.resolve("lib");
  }

  static Path data(Path run, long node) {
    return run.resolve("node-" + node);
  }

  static Path log(Path run, long node) {
    return run.resolve("node-" + node + ".log");
  }

  /**
   * With {@code -Dbench.keepLogs=DIR}: copies the nodes' logs there before the run directory goes
   * (to line up a run's events across nodes afterwards).
   */
  static void keepLogs(Path run, java.util.Collection<Long> nodes) {
    String keep = System.getProperty("bench.keepLogs");
    if (keep == null || keep.isEmpty()) {
      return;
    }
    try {
      Path to = Files.createDirectories(Path.of(keep));
      for (long id : nodes) {
        Path log = log(run, id);
        if (Files.exists(log)) {
          Files.copy(log, to.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      System.err.println("bench: cannot keep the node logs in " + keep + ": " + e);
    }
  }

  /** Deletes the tree, best effort: a file that cannot go is reported, the rest still goes. */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          System.err.println("bench: cannot delete " + p + ": " + e);
        }
      }
    } catch (IOException e) {
      System.err.println("bench: cannot delete " + dir + ": " + e);
    }
  }
}
