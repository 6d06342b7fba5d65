package io.multiraft.rangestore.log;

import io.multiraft.core.HardState;
import io.multiraft.spi.LogBatch;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link RocksLogStoreCrashTest}: writes {@code synced} writes with sync, then
 * {@code unsynced} without, each write appending index w to every one of {@code groups} groups, and
 * halts the JVM without closing anything, as a crash does.
 *
 * <p>Arguments: directory, groups, synced writes, unsynced writes.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int groups = Integer.parseInt(args[1]);
    int synced = Integer.parseInt(args[2]);
    int unsynced = Integer.parseInt(args[3]);
    RocksLogStore store = RocksLogStore.open(dir, LogStoreConfig.forTests());
    for (int w = 1; w <= synced + unsynced; w++) {
      LogBatch b = store.newBatch();
      for (long g = 1; g <= groups; g++) {
        b.append(g, TestEntries.entries(g, w, w, 1, 100));
        b.hardState(g, new HardState(1, 1, w));
      }
      boolean sync = w <= synced;
      store.write(List.of(b), sync);
      System.out.println((sync ? "synced " : "unsynced ") + w);
    }
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
