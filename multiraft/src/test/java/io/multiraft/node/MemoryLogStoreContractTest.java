package io.multiraft.node;

import io.multiraft.spi.LogStore;

/** The log store contract, against the in-memory store; a reopen is a crash that loses nothing synced. */
class MemoryLogStoreContractTest extends LogStoreContractTest {

  @Override
  protected LogStore newStore() {
    return new MemoryLogStore();
  }

  @Override
  protected LogStore reopen(LogStore store) {
    ((MemoryLogStore) store).crash();
    return store;
  }
}
