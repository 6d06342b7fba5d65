package io.multiraft.rangestore.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link RocksLogStoreLockTest}: opens the store in the given directory,
 * prints "open", and keeps it open until its stdin ends; then closes it and prints "closed".
 */
public final class LockHolderChild {
  private LockHolderChild() {}

  public static void main(String[] args) throws IOException {
    RocksLogStore store = RocksLogStore.open(Path.of(args[0]), LogStoreConfig.forTests());
    System.out.println("open pid " + ProcessHandle.current().pid());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the parent to close our stdin
    }
    store.close();
    System.out.println("closed");
    System.out.flush();
  }
}
