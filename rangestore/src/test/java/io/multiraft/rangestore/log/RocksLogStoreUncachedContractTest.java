package io.multiraft.rangestore.log;

/** The contract again with the entry cache off, so that every read goes to RocksDB. */
class RocksLogStoreUncachedContractTest extends RocksLogStoreContractTest {
  @Override
  LogStoreConfig config() {
    return LogStoreConfig.forTests().withEntryCacheBytes(0);
  }
}
