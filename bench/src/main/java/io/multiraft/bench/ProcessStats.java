package io.multiraft.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** CPU time, heap, resident memory and threads of this process (a bench driver or a node process). */
public final class ProcessStats {
  private ProcessStats() {}

  public static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    throw new IllegalStateException("process CPU time is not available on this JVM");
  }

  /**
   * CPU time of the JIT compiler threads (C1, C2) from /proc/self/task, or -1 where there is no
   * /proc. They are not Java threads, so the thread MXBean does not see them; a node JVM still
   * compiling in a measured window spends a large share of its CPU there (at 1,000 groups, half of
   * it 15-35 s after start on a loaded 2-core machine).
   */
  public static long compilerCpuNanos() {
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
    long ticks = 0;
    try (var dirs = java.nio.file.Files.list(tasks)) {
      for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) dirs::iterator) {
        try {
          String comm = java.nio.file.Files.readString(t.resolve("comm")).trim();
          if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
            continue;
          }
          String stat = java.nio.file.Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended while we read it
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SEC);
  }

  /**
   * Bytes allocated on the heap so far by the threads alive now (the JVM keeps no total in 17).
   * Per write it is a figure the machine's load does not distort, unlike CPU time, and it is what
   * the collector's work follows.
   */
  public static long allocatedBytes() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)) {
      return -1;
    }
    long sum = 0;
    for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
      sum += Math.max(0, b);
    }
    return sum;
  }

  /** USER_HZ of /proc's tick counts: 100 on every Linux the benchmark runs on. */
  private static final long CLOCK_TICKS_PER_SEC = 100;

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
  public static long heapAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Resident set size from /proc/self/status (VmRSS), or -1 where there is no /proc. */
  public static long rssBytes() {
    return procStatus("VmRSS:") * 1024;
  }

  /** OS threads of this process (JVM, Netty, RocksDB and GC threads alike), or -1 without /proc. */
  public static long osThreads() {
    return procStatus("Threads:");
  }

  /** The number in the line of /proc/self/status starting with {@code key} (kB for sizes). */
  private static long procStatus(String key) {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: the figure is reported as unknown
    }
    return -1;
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
