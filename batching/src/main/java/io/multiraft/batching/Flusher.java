package io.multiraft.batching;

import java.util.List;

/**
 * Persists (or sends) a batch of items as one unit, for example one RocksDB {@code WriteBatch} and
 * one sync. Throwing fails every item of the batch with that exception.
 */
@FunctionalInterface
public interface Flusher<T> {

  /** {@code items} is reused after this returns: copy what you need to keep. */
  void flush(List<T> items) throws Exception;
}
