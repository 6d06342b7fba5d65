package io.multiraft.batching;

import java.util.Objects;
import java.util.function.IntSupplier;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The production flusher: one thread calling a flush function (usually {@link GroupCommitter#flush})
 * under an agrona {@link AgentRunner}, idling with an {@link IdleStrategy} when there was nothing to
 * flush. Tests and the simulator call the flush function themselves instead.
 */
public final class FlushLoop implements AutoCloseable {
  private final AgentRunner runner;

  private FlushLoop(AgentRunner runner) {
    this.runner = runner;
  }

  /**
   * Spins briefly, then yields, then parks up to 100 µs: a sync costs ~200 µs on these disks, so a
   * longer park would add visible latency to the first write after a pause, and a pure spin would
   * steal a core from the raft workers while idle.
   */
  public static IdleStrategy defaultIdleStrategy() {
    return new BackoffIdleStrategy(64, 16, 1_000, 100_000);
  }

  /**
   * Starts a daemon thread named {@code name} that calls {@code work} until {@link #close}.
   *
   * @param work returns how much it did; 0 makes the loop idle
   * @param errors gets what {@code work} throws; the loop goes on
   */
  public static FlushLoop start(String name, IntSupplier work, IdleStrategy idle, ErrorHandler errors) {
    Objects.requireNonNull(work, "work");
    AgentRunner runner = new AgentRunner(idle, errors, null, new FlushAgent(name, work));
    AgentRunner.startOnThread(runner, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    return new FlushLoop(runner);
  }

  /** Stops the thread and waits for it: after this returns, {@code work} is not running. */
  @Override
  public void close() {
    runner.close();
  }

  private static final class FlushAgent implements Agent {
    private final String name;
    private final IntSupplier work;

    FlushAgent(String name, IntSupplier work) {
      this.name = name;
      this.work = work;
    }

    @Override
    public int doWork() {
      return work.getAsInt();
    }

    @Override
    public String roleName() {
      return name;
    }
  }
}
