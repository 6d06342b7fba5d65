package io.multiraft.rangestore.log;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Properties;

/**
 * A file beside RocksDB's LOCK naming the process that has the store open (pid, start time, host,
 * command), so that "the directory is locked" can say by whom. Written after the lock is taken and
 * removed before it is released; a crashed owner leaves it behind, which its pid then reveals.
 */
final class OwnerFile {
  static final String NAME = "OWNER";

  private OwnerFile() {}

  static void write(Path dir) {
    ProcessHandle self = ProcessHandle.current();
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(self.pid()));
    p.setProperty("started", self.info().startInstant().map(Instant::toString).orElse("unknown"));
    p.setProperty("opened", Instant.now().toString());
    p.setProperty("host", hostName());
    p.setProperty("command", self.info().commandLine().orElse("unknown"));
    Path tmp = dir.resolve(NAME + ".tmp");
    try {
      try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "process holding this multiraft log store open");
      }
      Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Only a diagnostic aid: the RocksDB lock is what protects the store.
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  /** Removes the file if this process wrote it. */
  static void deleteIfOurs(Path dir) {
    Properties p = read(dir);
    if (p != null && Long.toString(ProcessHandle.current().pid()).equals(p.getProperty("pid"))) {
      try {
        Files.deleteIfExists(dir.resolve(NAME));
      } catch (IOException ignored) {
        // a stale owner file names a dead pid; describe() says so
      }
    }
  }

  /** Who holds the store, in words, for an error message. */
  static String describe(Path dir) {
    Properties p = read(dir);
    if (p == null) {
      return "an unknown process (no readable owner file " + dir.resolve(NAME) + ")";
    }
    String pid = p.getProperty("pid", "?");
    String who = "process " + pid + " on " + p.getProperty("host", "?") + " (started " + p.getProperty("started", "?")
        + ", opened the store " + p.getProperty("opened", "?") + ", command: " + p.getProperty("command", "?") + ")";
    try {
      long id = Long.parseLong(pid);
      if (id == ProcessHandle.current().pid()) {
        return "this process (pid " + pid + ") itself: another store object has it open";
      }
      boolean alive = ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false);
      return who + (alive ? ", which is running" : ", which is no longer running on this host (stale owner file)");
    } catch (NumberFormatException e) {
      return who;
    }
  }

  private static Properties read(Path dir) {
    Path f = dir.resolve(NAME);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(in);
      return p;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }
}
