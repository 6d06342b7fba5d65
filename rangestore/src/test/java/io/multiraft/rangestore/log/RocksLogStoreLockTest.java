package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 22: one owner per directory, a clear message naming the holder, the lock freed on close. */
class RocksLogStoreLockTest {
  @TempDir
  Path dir;

  @Test
  void aSecondOpenInTheSameProcessIsRefusedNamingThePathAndThisProcess() {
    Path db = dir.resolve("db");
    try (RocksLogStore first = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      LogStoreException e = assertThrows(LogStoreException.class, () -> RocksLogStore.open(db, LogStoreConfig.forTests()));
      assertTrue(e.getMessage().contains(db.toAbsolutePath().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("locked"), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
      LogBatch b = first.newBatch();
      b.append(1, TestEntries.entries(1, 1, 3, 1));
      first.write(List.of(b), true);
      assertEquals(3, first.storage(1).lastIndex(), "the first store is untouched by the refused open");
    }
  }

  @Test
  void closeReleasesTheLockSoTheDirectoryOpensAgainAtOnce() {
    Path db = dir.resolve("db");
    for (int i = 0; i < 3; i++) {
      try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
        assertTrue(Files.exists(db.resolve(OwnerFile.NAME)), "owner file written while open");
      }
      assertTrue(!Files.exists(db.resolve(OwnerFile.NAME)), "owner file removed on close");
    }
  }

  @Test
  void aDirectoryHeldByAnotherProcessIsRefusedNamingThatProcess() throws Exception {
    Path db = dir.resolve("db");
    try (ChildJvm child = ChildJvm.start(dir.resolve("run"), LockHolderChild.class, 0, db.toString())) {
      child.awaitLine("open", Duration.ofSeconds(60));
      LogStoreException e = assertThrows(LogStoreException.class, () -> RocksLogStore.open(db, LogStoreConfig.forTests()));
      String msg = e.getMessage();
      assertTrue(msg.contains(db.toAbsolutePath().toString()), msg);
      assertTrue(msg.contains("process " + child.pid()), msg);
      assertTrue(msg.contains("which is running"), msg);
      child.stdin().close();
      child.awaitLine("closed", Duration.ofSeconds(60));
      assertEquals(0, child.exitCode(Duration.ofSeconds(60)));
    }
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      assertTrue(store.groups().isEmpty());
    }
  }

  @Test
  void aKilledOwnersLockIsGoneAndItsStaleOwnerFileIsReplaced() throws Exception {
    Path db = dir.resolve("db");
    long childPid;
    try (ChildJvm child = ChildJvm.start(dir.resolve("run"), LockHolderChild.class, 0, db.toString())) {
      child.awaitLine("open", Duration.ofSeconds(60));
      childPid = child.pid();
      child.kill();
    }
    assertTrue(Files.readString(db.resolve(OwnerFile.NAME)).contains("pid=" + childPid), "the killed owner left its file");
    try (RocksLogStore store = RocksLogStore.open(db, LogStoreConfig.forTests())) {
      assertTrue(Files.readString(db.resolve(OwnerFile.NAME)).contains("pid=" + ProcessHandle.current().pid()));
    }
  }
}
