package io.multiraft.batching;

/**
 * Learns the outcome of one submitted item. Called exactly once, on the flushing thread, so it must
 * be quick and must not block: hand the result on (enqueue, set a flag), do not process it here.
 */
@FunctionalInterface
public interface Completion {

  /** {@code failure} is null when the item was flushed, else what the flush threw. */
  void complete(Throwable failure);
}
