package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.Entry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that hits a full disk: the child runs under {@code ulimit -f} (the JVM ignores SIGXFSZ,
 * so the write fails with EFBIG, "File too large", as ENOSPC would with a full disk). The store
 * must fail closed with a message naming the cause and path, and nothing synced may be lost.
 */
class RocksLogStoreDiskFullTest {
  @TempDir
  Path dir;

  @Test
  void anIoErrorFailsTheStoreClosedAndLosesNothingSynced() throws Exception {
    Path db = dir.resolve("db");
    long lastSynced = 0;
    String failure;
    List<String> rest;
    try (ChildJvm child = ChildJvm.start(dir.resolve("run"), DiskFullChild.class, 1024, db.toString())) {
      failure = child.awaitLine("failed ", Duration.ofSeconds(120));
      rest = child.remainingLines(Duration.ofSeconds(60));
      for (String line : child.transcript()) {
        if (line.startsWith("synced ")) {
          lastSynced = Long.parseLong(line.substring(7));
        }
      }
    }
    System.out.println("disk-full test: " + lastSynced + " entries synced, then: " + failure);
    assertTrue(lastSynced > 0, "some writes succeeded before the limit");
    assertTrue(failure.contains(db.toAbsolutePath().toString()), failure);
    assertTrue(failure.contains("File too large") || failure.contains("IO error"), failure);
    assertTrue(rest.stream().anyMatch(l -> l.startsWith("refused write")), rest::toString);
    assertTrue(rest.stream().anyMatch(l -> l.startsWith("refused read")), rest::toString);

    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      long last = store.storage(1).lastIndex();
      assertTrue(last >= lastSynced, "synced entries lost: " + last + " < " + lastSynced);
      List<Entry> all = store.storage(1).entries(1, last + 1, Long.MAX_VALUE);
      assertEquals(last, all.size());
      all.forEach(e -> assertTrue(TestEntries.isGenuine(1, e)));
    }
  }
}
