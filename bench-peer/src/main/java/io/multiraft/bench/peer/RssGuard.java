package io.multiraft.bench.peer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends the run with status {@code rss_limit} when the process's resident memory passes a limit.
 * SOFAJRaft gives every replica its own RocksDB with its default options (64 MB write buffers,
 * memtable bloom filters), some 30–40 MB resident each: a group count the machine cannot hold must
 * stop this benchmark, not send the kernel's OOM killer after the other processes on the machine.
 */
final class RssGuard {
  private static final long CHECK_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(100);

  private RssGuard() {}

  static void start(long limitBytes, Report report) {
    Thread t = new Thread(() -> {
      while (true) {
        LockSupport.parkNanos(CHECK_EVERY_NS);
        long rss = ProcessProbe.rssBytes();
        if (rss > limitBytes) {
          report.put("status", "rss_limit");
          report.put("rss_bytes", rss);
          report.put("threads", ProcessProbe.liveThreads());
          report.put("error", "resident memory " + rss + " B passed the limit of " + limitBytes + " B");
          System.err.println("peer-progress rss_limit=" + rss);
          report.emitAndHalt(0);
        }
      }
    }, "peer-rss-guard");
    t.setDaemon(true);
    t.start();
  }
}
