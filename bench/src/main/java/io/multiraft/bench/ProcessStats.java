package io.multiraft.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** CPU time and heap of this process, for in-process scenarios. */
final class ProcessStats {
  private ProcessStats() {}

  static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    throw new IllegalStateException("process CPU time is not available on this JVM");
  }

  /** CPU nanoseconds per live thread name, to say where CPU went. */
  static java.util.Map<String, Long> threadCpu() {
    var mx = ManagementFactory.getThreadMXBean();
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      var info = mx.getThreadInfo(id);
      long t = mx.getThreadCpuTime(id);
      if (info != null && t > 0) {
        out.merge(info.getThreadName(), t, Long::sum);
      }
    }
    return out;
  }

  /** The threads that used the most CPU between two {@link #threadCpu()} readings. */
  static String topThreads(java.util.Map<String, Long> before, java.util.Map<String, Long> after, long wallNs, int n) {
    return after.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .map(e -> String.format("%s %.2f%%", e.getKey(), 100.0 * e.getValue() / wallNs))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Heap in use after full collections: what live objects cost. */
  static long heapAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Waits for a condition with a deadline; returns the milliseconds it took. */
  static long await(String what, java.util.function.BooleanSupplier cond, long timeoutMs) {
    long start = System.nanoTime();
    long deadline = start + timeoutMs * 1_000_000L;
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
