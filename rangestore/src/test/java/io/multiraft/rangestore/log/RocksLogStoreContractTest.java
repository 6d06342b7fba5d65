package io.multiraft.rangestore.log;

import io.multiraft.node.LogStoreContractTest;
import io.multiraft.spi.LogStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The log store contract against RocksDB; a reopen closes the store and opens its directory again. */
class RocksLogStoreContractTest extends LogStoreContractTest {
  @TempDir
  Path dir;

  LogStoreConfig config() {
    return LogStoreConfig.forTests();
  }

  @Override
  protected LogStore newStore() {
    return RocksLogStore.open(dir.resolve("db"), config());
  }

  @Override
  protected LogStore reopen(LogStore store) {
    store.close();
    return RocksLogStore.open(dir.resolve("db"), config());
  }
}
