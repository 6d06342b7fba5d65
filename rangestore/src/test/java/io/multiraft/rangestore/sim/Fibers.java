package io.multiraft.rangestore.sim;

import io.multiraft.rangestore.api.NodeRuntime;
import io.multiraft.sim.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * Runs blocking code (the replica mover, the merger, the client: production code that waits on
 * futures) inside the single-threaded simulation. Each fiber is a real thread, but it runs only
 * while the simulation thread waits for it, and hands control back whenever it would block: so
 * exactly one thread runs at any time, and the event loop decides which, deterministically.
 */
final class Fibers implements NodeRuntime.Blocking {
  /** Thrown inside a fiber to unwind it when the simulation ends. */
  static final class Killed extends Error {
    Killed() {
      super("fiber killed at the end of the simulation", null, false, false);
    }
  }

  private static final class Fiber {
    final String name;
    final boolean daemon;
    final Semaphore run = new Semaphore(0);
    long token;
    boolean done;
    boolean killed;

    Fiber(String name, boolean daemon) {
      this.name = name;
      this.daemon = daemon;
    }
  }

  private final EventLoop loop;
  private final Semaphore sim = new Semaphore(0);
  private final List<Fiber> fibers = new ArrayList<>();
  private Fiber current;
  /** The first exception that escaped a fiber's body (a bug in the workload or in production code). */
  Throwable escaped;
  String escapedFrom;

  Fibers(EventLoop loop) {
    this.loop = loop;
  }

  /** Starts {@code body} as a fiber at the current virtual time. */
  void start(String name, Runnable body) {
    start(name, body, false);
  }

  /** @param daemon a background fiber that runs until the end: {@link #allDone} does not wait for it */
  void start(String name, Runnable body, boolean daemon) {
    Fiber f = new Fiber(name, daemon);
    fibers.add(f);
    Thread t = new Thread(() -> {
      f.run.acquireUninterruptibly();
      try {
        if (!f.killed) {
          body.run();
        }
      } catch (Killed k) {
        // unwound on purpose
      } catch (Throwable e) {
        if (escaped == null) {
          escaped = e;
          escapedFrom = f.name;
        }
      } finally {
        f.done = true;
        sim.release();
      }
    }, "sim-fiber-" + name);
    t.setDaemon(true);
    t.start();
    long token = f.token;
    loop.after(0, () -> resume(f, token));
  }

  boolean allDone() {
    for (Fiber f : fibers) {
      if (!f.done && !f.daemon) {
        return false;
      }
    }
    return true;
  }

  /** Runs the fiber until it blocks again, if it still waits for the wake-up {@code token} names. */
  private void resume(Fiber f, long token) {
    if (f.done || f.token != token) {
      return; // already woken by another event (its future completed before its timeout, or the reverse)
    }
    f.token++;
    Fiber outer = current;
    current = f;
    f.run.release();
    sim.acquireUninterruptibly();
    current = outer;
  }

  private Fiber self() {
    Fiber f = current;
    if (f == null || Thread.currentThread().getName().equals("sim-fiber-" + f.name) == false) {
      throw new IllegalStateException("a blocking wait outside a fiber would stall the simulation: "
          + Thread.currentThread().getName());
    }
    return f;
  }

  private void park(Fiber f) {
    if (f.killed) {
      throw new Killed();
    }
    sim.release();
    f.run.acquireUninterruptibly();
    if (f.killed) {
      throw new Killed();
    }
  }

  @Override
  public <T> T await(CompletableFuture<T> future, long timeoutNs) {
    Fiber f = self();
    if (!future.isDone()) {
      long token = f.token;
      future.whenComplete((v, e) -> loop.after(0, () -> resume(f, token)));
      loop.after(Math.max(1, timeoutNs), () -> resume(f, token));
      park(f);
    }
    if (!future.isDone()) {
      throw new CompletionException(new TimeoutException("no answer within " + timeoutNs / 1_000_000 + " ms (virtual)"));
    }
    return future.join();
  }

  @Override
  public void pause(long ns) {
    Fiber f = self();
    long token = f.token;
    loop.after(Math.max(1, ns), () -> resume(f, token));
    park(f);
  }

  /** Unwinds every fiber still waiting, one at a time, so no thread outlives the simulation. */
  void killAll() {
    for (Fiber f : fibers) {
      if (!f.done) {
        f.killed = true;
        f.token++;
        current = f;
        f.run.release();
        sim.acquireUninterruptibly();
        current = null;
      }
    }
  }
}
