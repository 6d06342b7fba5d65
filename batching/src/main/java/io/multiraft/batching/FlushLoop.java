package io.multiraft.batching;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The production flusher: one thread calling a flush function (usually {@link GroupCommitter#flush})
 * under an agrona {@link AgentRunner}, idling with an {@link IdleStrategy} when there was nothing to
 * flush, and woken at once by {@link #wake()} when producers submit. Tests and the simulator call
 * the flush function themselves instead.
 */
public final class FlushLoop implements AutoCloseable {
  private final AgentRunner runner;
  private final StoppableIdle idle;

  private FlushLoop(AgentRunner runner, StoppableIdle idle) {
    this.runner = runner;
    this.idle = idle;
  }

  /**
   * Spins briefly, then yields, then parks up to 1 ms: producers {@link #wake()} the thread when
   * they submit, so a long park adds no latency, and a pure spin would steal a core from the raft
   * workers while idle.
   */
  public static IdleStrategy defaultIdleStrategy() {
    return new BackoffIdleStrategy(64, 16, 1_000, 1_000_000);
  }

  /**
   * Starts a daemon thread named {@code name} that calls {@code work} until {@link #close}.
   *
   * @param work returns how much it did; 0 makes the loop idle
   * @param errors gets what {@code work} throws; the loop goes on
   */
  public static FlushLoop start(String name, IntSupplier work, IdleStrategy idle, ErrorHandler errors) {
    Objects.requireNonNull(work, "work");
    StoppableIdle stoppable = new StoppableIdle(idle);
    AgentRunner runner = new AgentRunner(stoppable, errors, null, new FlushAgent(name, work));
    AgentRunner.startOnThread(runner, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    return new FlushLoop(runner, stoppable);
  }

  /**
   * Ends the current idle park, if any, so that work just submitted is flushed now rather than when
   * the park times out. Cheap; safe from any thread, before or after close.
   */
  public void wake() {
    Thread t = runner.thread();
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Stops the thread and waits for it: after this returns, {@code work} is not running. */
  @Override
  public void close() {
    idle.closing = true; // no new parks; and end the current one (the unpark also covers a park about to start)
    wake();
    runner.close();
  }

  /** Delegates to the caller's idle strategy until closing, so close never waits for a long park. */
  private static final class StoppableIdle implements IdleStrategy {
    private final IdleStrategy delegate;
    volatile boolean closing;

    StoppableIdle(IdleStrategy delegate) {
      this.delegate = Objects.requireNonNull(delegate, "idle");
    }

    @Override
    public void idle(int workCount) {
      if (!closing) {
        delegate.idle(workCount);
      }
    }

    @Override
    public void idle() {
      if (!closing) {
        delegate.idle();
      }
    }

    @Override
    public void reset() {
      delegate.reset();
    }

    @Override
    public String alias() {
      return delegate.alias();
    }
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
