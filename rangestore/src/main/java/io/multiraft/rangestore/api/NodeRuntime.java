package io.multiraft.rangestore.api;

import io.multiraft.spi.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a range store node takes its time, delayed work, blocking waits and randomness from. The
 * default is the real world ({@link #SYSTEM}); the deterministic simulator passes virtual time, an
 * event loop and cooperative waits, so the same production code runs on one thread at a time.
 *
 * @param threaded whether the Raft runtime runs its own threads (false: the caller pumps it)
 * @param seed the seed of the Raft runtime's randomness; 0 derives it from the node id
 */
public record NodeRuntime(Clock clock, Scheduler scheduler, Blocking blocking, boolean threaded, long seed) {

  /** Runs a task after a delay, on some thread that may not block. */
  public interface Scheduler {
    void schedule(long delayNs, Runnable task);
  }

  /** The waits of the blocking coordinators (replica moves, merges, the client). */
  public interface Blocking {
    /**
     * Waits for {@code f} like {@code join()}, but at most {@code timeoutNs}: a timeout throws a
     * {@link CompletionException} caused by a {@link TimeoutException}, so callers that tolerate a
     * failed call tolerate a hung one too.
     */
    <T> T await(CompletableFuture<T> f, long timeoutNs);

    /** Pauses the calling coordinator (a back-off between polls). */
    void pause(long ns);
  }

  /** Real time, a JDK delayed executor, blocking joins and threads. */
  public static final NodeRuntime SYSTEM = new NodeRuntime(Clock.SYSTEM,
      (delayNs, task) -> CompletableFuture.delayedExecutor(delayNs, TimeUnit.NANOSECONDS).execute(task),
      new Blocking() {
        @Override
        public <T> T await(CompletableFuture<T> f, long timeoutNs) {
          try {
            return f.get(Math.max(1, timeoutNs), TimeUnit.NANOSECONDS);
          } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
          } catch (TimeoutException e) {
            throw new CompletionException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
          }
        }

        @Override
        public void pause(long ns) {
          LockSupport.parkNanos(ns);
        }
      }, true, 0);

  /** The seed of the Raft runtime of node {@code nodeId}. */
  public long seedFor(long nodeId) {
    return seed == 0 ? nodeId : seed * 1_000_003L + nodeId;
  }

  long nanoTime() {
    return clock.nanoTime();
  }
}
