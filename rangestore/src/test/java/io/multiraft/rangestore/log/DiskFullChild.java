package io.multiraft.rangestore.log;

import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStoreException;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM under a file-size limit by {@link RocksLogStoreDiskFullTest}: writes synced
 * batches until RocksDB reports an I/O error, prints what it saw, and checks that the store then
 * refuses further writes and reads.
 */
public final class DiskFullChild {
  private DiskFullChild() {}

  public static void main(String[] args) {
    RocksLogStore store = RocksLogStore.open(Path.of(args[0]), LogStoreConfig.forTests());
    long w = 0;
    try {
      while (true) {
        LogBatch b = store.newBatch();
        b.append(1, TestEntries.entries(1, w + 1, w + 16, 1, 1_000));
        store.write(List.of(b), true);
        w += 16;
        System.out.println("synced " + w);
      }
    } catch (LogStoreException e) {
      System.out.println("failed " + e.getMessage().replace('\n', ' '));
    }
    try {
      store.write(List.of(store.newBatch()), true);
      System.out.println("accepted a write after the failure");
    } catch (LogStoreException e) {
      System.out.println("refused write " + e.getMessage().replace('\n', ' '));
    }
    try {
      store.storage(1).lastIndex();
      System.out.println("served a read after the failure");
    } catch (LogStoreException e) {
      System.out.println("refused read");
    }
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
