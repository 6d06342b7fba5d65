package io.multiraft.bench;

import io.multiraft.core.Entry;
import io.multiraft.node.LogWriter;
import io.multiraft.rangestore.log.EntryCodec;
import io.multiraft.rangestore.log.LogKeys;
import io.multiraft.rangestore.log.LogStoreConfig;
import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.rangestore.log.RocksOptions;
import io.multiraft.spi.LogBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code logwrite}: the shared log's group commit against the disk's own bound, in one run.
 *
 * <p>Ours: W writer threads stand for raft workers. Each owns the groups g with (g - 1) % W == w and
 * runs cycles; a cycle appends one entry to each of the next min(its groups, --batch) groups,
 * round-robin, as one {@link LogBatch} submitted to a {@link LogWriter} over a
 * {@link RocksLogStore} (one synced RocksDB write per flush). As in the runtime, a group has at most
 * one write in flight, so a writer keeps at most (its groups / cycle size) cycles outstanding.
 *
 * <p>Bound: one thread writing plain RocksDB WriteBatches with sync, each holding as many entries as
 * ours averaged per sync, with the same keys (group, index) and value sizes (header + payload), into
 * a column family with the same options; values are prepared once, so the bound pays no encoding.
 */
@Command(name = "logwrite", mixinStandardHelpOptions = true,
    description = "Group-committed log writes (entries/s, syncs/s) against a raw RocksDB synced WriteBatch loop.")
final class LogWriteScenario implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--groups", split = ",", defaultValue = "1,100,10000", description = "Group counts, e.g. 1,100,10000.")
  List<Integer> groups;

  @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds, for ours and for the bound each.")
  int seconds;

  @Option(names = "--warmup", defaultValue = "1", description = "Seconds before each measurement.")
  int warmup;

  @Option(names = "--payload", defaultValue = "128", description = "Bytes of data per entry.")
  int payload;

  @Option(names = "--batch", defaultValue = "1000", description = "Most groups (entries) one writer cycle covers.")
  int batch;

  @Option(names = "--writers", defaultValue = "2", description = "Writer threads (raft workers).")
  int writers;

  @Option(names = "--dir", description = "Parent of the temporary database directories (default: java.io.tmpdir).")
  Path dir;

  @Option(names = "--json", description = "Write the result as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (groups == null || groups.isEmpty() || groups.stream().anyMatch(g -> g < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--groups must list positive group counts");
    }
    if (seconds < 1 || warmup < 0 || payload < 0 || batch < 1 || writers < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--seconds, --batch and --writers must be >= 1; --warmup and --payload >= 0");
    }
    Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(base);
    List<Object> points = new ArrayList<>();
    System.out.printf(Locale.ROOT, "%8s %14s %10s %12s %14s %12s %7s%n",
        "groups", "ours entries/s", "syncs/s", "entries/sync", "bound entries/s", "bound syncs/s", "ratio");
    for (int g : groups) {
      Map<String, Object> point = runOnce(base, g);
      points.add(point);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", "logwrite");
    if (points.size() == 1) {
      @SuppressWarnings("unchecked")
      Map<String, Object> p = (Map<String, Object>) points.get(0);
      out.putAll(p);
    } else {
      out.put("payload_bytes", payload);
      out.put("points", points);
    }
    if (json != null) {
      Files.writeString(json, Json.write(out));
    }
    return 0;
  }

  private Map<String, Object> runOnce(Path base, int groupCount) throws Exception {
    Rate ours;
    Path oursDir = Files.createTempDirectory(base, "logwrite-ours-");
    try {
      ours = runOurs(oursDir, groupCount);
    } finally {
      deleteTree(oursDir);
    }
    int perBatch = (int) Math.max(1, Math.round(ours.entriesPerSync()));
    Rate bound;
    Path rawDir = Files.createTempDirectory(base, "logwrite-raw-");
    try {
      bound = runBound(rawDir, groupCount, perBatch);
    } finally {
      deleteTree(rawDir);
    }
    double ratio = ours.entriesPerSec() / bound.entriesPerSec();
    System.out.printf(Locale.ROOT, "%8d %14.0f %10.0f %12.1f %14.0f %12.0f %6.0f%%%n", groupCount, ours.entriesPerSec(),
        ours.syncsPerSec(), ours.entriesPerSync(), bound.entriesPerSec(), bound.syncsPerSec(), ratio * 100);
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("groups", groupCount);
    point.put("payload_bytes", payload);
    point.put("seconds", seconds);
    point.put("writers", Math.min(writers, groupCount));
    point.put("ours", Map.of("entries_per_sec", ours.entriesPerSec(), "syncs_per_sec", ours.syncsPerSec(),
        "entries_per_sync", ours.entriesPerSync()));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("entries_per_sec", bound.entriesPerSec());
    b.put("syncs_per_sec", bound.syncsPerSec());
    b.put("entries_per_batch", perBatch);
    point.put("bound", b);
    point.put("ratio", ratio);
    return point;
  }

  record Rate(double entriesPerSec, double syncsPerSec) {
    double entriesPerSync() {
      return syncsPerSec == 0 ? 0 : entriesPerSec / syncsPerSec;
    }
  }

  // ---------------------------------------------------------------- ours

  private Rate runOurs(Path path, int groupCount) throws Exception {
    LogStoreConfig cfg = LogStoreConfig.defaults();
    try (RocksLogStore store = RocksLogStore.open(path, cfg)) {
      LogWriter writer = new LogWriter(store);
      writer.start();
      int threads = Math.min(writers, groupCount);
      LongAdder entries = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      byte[] data = new byte[payload];
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        long[] own = ownGroups(groupCount, threads, w);
        Thread t = new Thread(() -> writerLoop(writer, store, own, data, entries, stop, failure), "logwrite-writer-" + w);
        t.setDaemon(true);
        workers.add(t);
        t.start();
      }
      try {
        waitSeconds(warmup, failure);
        long e0 = entries.sum();
        long s0 = writer.flushes();
        long t0 = System.nanoTime();
        waitSeconds(seconds, failure);
        long e1 = entries.sum();
        long s1 = writer.flushes();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return new Rate((e1 - e0) / elapsed, (s1 - s0) / elapsed);
      } finally {
        stop.set(true);
        for (Thread t : workers) {
          t.join(30_000);
        }
        writer.close();
      }
    }
  }

  private static long[] ownGroups(int groupCount, int threads, int w) {
    int n = (groupCount - w + threads - 1) / threads;
    long[] own = new long[n];
    for (int i = 0; i < n; i++) {
      own[i] = 1L + w + (long) i * threads;
    }
    return own;
  }

  private void writerLoop(LogWriter writer, RocksLogStore store, long[] own, byte[] data, LongAdder entries,
      AtomicBoolean stop, AtomicReference<Throwable> failure) {
    int cycle = Math.min(own.length, batch);
    // a group has at most one write in flight, as in the runtime: cycles in flight never overlap
    Semaphore inFlight = new Semaphore(Math.max(1, own.length / cycle));
    long[] next = new long[own.length];
    Arrays.fill(next, 1);
    int at = 0;
    try {
      while (!stop.get()) {
        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        LogBatch b = store.newBatch();
        for (int k = 0; k < cycle; k++) {
          b.append(own[at], List.of(Entry.normal(1, next[at]++, data)));
          at = at + 1 == own.length ? 0 : at + 1;
        }
        int n = cycle;
        while (!writer.submit(b, err -> {
          if (err != null) {
            failure.compareAndSet(null, err);
          } else {
            entries.add(n);
          }
          inFlight.release();
        })) {
          if (stop.get()) {
            return;
          }
          Thread.onSpinWait(); // the writer is full: back off until it drains
        }
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  private static void waitSeconds(int s, AtomicReference<Throwable> failure) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(s);
    while (System.nanoTime() < end) {
      Throwable f = failure.get();
      if (f != null) {
        throw new IllegalStateException("a writer failed: " + f, f);
      }
      Thread.sleep(Math.min(100, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
    }
  }

  // ---------------------------------------------------------------- the bound

  private Rate runBound(Path path, int groupCount, int perBatch) throws Exception {
    try (RocksOptions options = new RocksOptions(LogStoreConfig.defaults())) {
      List<ColumnFamilyDescriptor> descriptors = options.descriptors(List.of(RocksOptions.DEFAULT_CF, RocksOptions.LOG_CF));
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      options.dbOptions().setCreateMissingColumnFamilies(true);
      try (RocksDB db = RocksDB.open(options.dbOptions(), path.toString(), descriptors, handles)) {
        ColumnFamilyHandle log = handles.get(1);
        byte[] value = EntryCodec.encode(LogKeys.log(1, 1), Entry.normal(1, 1, new byte[payload]));
        long[] next = new long[groupCount + 1];
        Arrays.fill(next, 1);
        int[] at = {1};
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        while (System.nanoTime() < warmEnd) {
          writeRawBatch(db, log, options, groupCount, perBatch, value, next, at);
        }
        long batches = 0;
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
          writeRawBatch(db, log, options, groupCount, perBatch, value, next, at);
          batches++;
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return new Rate(batches * (double) perBatch / elapsed, batches / elapsed);
      } finally {
        for (ColumnFamilyHandle h : handles) {
          h.close();
        }
      }
    }
  }

  private static void writeRawBatch(RocksDB db, ColumnFamilyHandle log, RocksOptions options, int groupCount, int perBatch,
      byte[] value, long[] next, int[] at) throws Exception {
    try (WriteBatch wb = new WriteBatch()) {
      for (int i = 0; i < perBatch; i++) {
        int g = at[0];
        wb.put(log, LogKeys.log(g, next[g]++), value);
        at[0] = g == groupCount ? 1 : g + 1;
      }
      db.write(options.syncWrite(), wb);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
