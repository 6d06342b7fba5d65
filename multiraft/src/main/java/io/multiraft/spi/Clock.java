package io.multiraft.spi;

/** Monotonic time, injected so that the deterministic simulator can run the runtime on virtual time. */
public interface Clock {
  long nanoTime();

  Clock SYSTEM = System::nanoTime;
}
