package io.multiraft.transport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where received snapshots land: a directory, and one thread that does all of their file I/O
 * (writes, fsync, rename, read-back) so that no event loop ever waits for the disk.
 *
 * <p>A transfer writes {@code group-<id>-*.part}; once complete and synced it is renamed to
 * {@code group-<id>.snapshot}, replacing the previous one of that group. Leftover parts of a
 * crashed process are deleted on start.
 */
final class SnapshotStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  static final String PART_SUFFIX = ".part";

  final Path dir;
  final ExecutorService io;
  private final boolean ownsDir;
  private final int maxReceives;
  private final AtomicInteger receives = new AtomicInteger();

  SnapshotStore(long nodeId, Path configuredDir, int maxReceives) throws IOException {
    this.ownsDir = configuredDir == null;
    this.dir = ownsDir ? Files.createTempDirectory("multiraft-snapshots-" + nodeId + "-") : configuredDir;
    this.maxReceives = maxReceives;
    Files.createDirectories(dir);
    deleteParts();
    this.io = Executors.newSingleThreadExecutor(r -> {
      Thread th = new Thread(r, "raft-snap-io-" + nodeId);
      th.setDaemon(true);
      return th;
    });
  }

  Path finalPath(long groupId) {
    return dir.resolve("group-" + groupId + ".snapshot");
  }

  Path newPart(long groupId) throws IOException {
    return Files.createTempFile(dir, "group-" + groupId + "-", PART_SUFFIX);
  }

  boolean tryAcquireReceive() {
    while (true) {
      int n = receives.get();
      if (n >= maxReceives) {
        return false;
      }
      if (receives.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void releaseReceive() {
    receives.decrementAndGet();
  }

  /** Makes a rename durable: without it a crash may forget the new name. */
  void syncDir() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("cannot fsync directory {} (not supported on this platform?)", dir, e);
    }
  }

  private void deleteParts() throws IOException {
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "*" + PART_SUFFIX)) {
      for (Path p : parts) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {
    io.shutdownNow();
    try {
      io.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsDir) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path p : files) {
          Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        LOG.warn("cannot remove snapshot directory {}: {}", dir, e.getMessage());
      }
    }
  }
}
