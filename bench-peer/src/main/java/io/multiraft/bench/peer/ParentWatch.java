package io.multiraft.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Ends this child when its driver is gone. The driver holds our stdin open and writes nothing, so
 * end of file (or a broken pipe) means it died; if it died by SIGKILL it could not kill us or delete
 * the run directory, so we delete the directory and halt.
 */
final class ParentWatch {
  private ParentWatch() {}

  static void start(Path runDir) {
    Thread t = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // any byte is ignored: only end of file matters
        }
      } catch (IOException e) {
        // a broken pipe is the same news as end of file
      }
      System.err.println("peer-progress parent_gone=true");
      // RocksDB may still be creating files in it: a second pass gets those
      for (int pass = 0; pass < 2 && Files.exists(runDir); pass++) {
        deleteTree(runDir);
      }
      Runtime.getRuntime().halt(3);
    }, "peer-parent-watch");
    t.setDaemon(true);
    t.start();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("peer: could not delete " + dir + ": " + e);
    }
  }
}
