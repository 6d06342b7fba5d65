package io.multiraft.bench;

import io.multiraft.rangestore.log.LogStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code logwrite}: the shared log's group commit against the disk's own bound, in one run.
 *
 * <p>Ours ({@link LogWriteOurs}): writer threads standing for raft workers submit cycles of one
 * entry per group to a {@link io.multiraft.node.LogWriter} over a
 * {@link io.multiraft.rangestore.log.RocksLogStore}: one synced RocksDB write per flush.
 *
 * <p>Bound ({@link LogWriteBound}): one thread writing plain synced RocksDB WriteBatches, each as
 * many entries as ours averaged per sync in the slice before, same keys and value sizes, same
 * column-family options.
 *
 * <p>The machine may be shared: both stay open and take turns in slices of {@code --slice-ms}
 * (alternating which goes first), so outside load lands on both; figures are totals over the
 * slices. Each side gets {@code --seconds} of measured time per group count.
 */
@Command(name = "logwrite", mixinStandardHelpOptions = true,
    description = "Group-committed log writes (entries/s, syncs/s) against a raw RocksDB synced WriteBatch loop.")
final class LogWriteScenario implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--groups", split = ",", defaultValue = "1,100,10000", description = "Group counts, e.g. 1,100,10000.")
  List<Integer> groups;

  @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds per side and group count.")
  int seconds;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed seconds per side before measuring.")
  int warmup;

  @Option(names = "--slice-ms", defaultValue = "1000", description = "Length of one turn of either side.")
  int sliceMs;

  @Option(names = "--payload", defaultValue = "128", description = "Bytes of data per entry.")
  int payload;

  @Option(names = "--batch", defaultValue = "1000", description = "Most groups (entries) one writer cycle covers.")
  int batch;

  @Option(names = "--writers", defaultValue = "2", description = "Writer threads (raft workers).")
  int writers;

  @Option(names = "--entry-cache-mb", description = "Entry cache of our store, MB (default: the store's default).")
  Integer entryCacheMb;

  @Option(names = "--dir", description = "Parent of the temporary database directories (default: java.io.tmpdir).")
  Path dir;

  @Option(names = "--json", description = "Write the result as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (groups == null || groups.isEmpty() || groups.stream().anyMatch(g -> g < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--groups must list positive group counts");
    }
    if (seconds < 1 || sliceMs < 10 || warmup < 0 || payload < 0 || batch < 1 || writers < 1
        || (entryCacheMb != null && entryCacheMb < 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--seconds, --batch and --writers must be >= 1, --slice-ms >= 10; --warmup, --payload and --entry-cache-mb >= 0");
    }
    Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(base);
    List<Object> points = new ArrayList<>();
    System.out.printf(Locale.ROOT, "%8s %14s %10s %12s %15s %13s %7s%n",
        "groups", "ours entries/s", "syncs/s", "entries/sync", "bound entries/s", "bound syncs/s", "ratio");
    for (int g : groups) {
      points.add(runOnce(base, g));
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

  private LogStoreConfig storeConfig() {
    LogStoreConfig cfg = LogStoreConfig.defaults();
    return entryCacheMb == null ? cfg : cfg.withEntryCacheBytes((long) entryCacheMb << 20);
  }

  private Map<String, Object> runOnce(Path base, int groupCount) throws Exception {
    Path oursDir = Files.createTempDirectory(base, "logwrite-ours-");
    Path boundDir = Files.createTempDirectory(base, "logwrite-bound-");
    Rate ours = Rate.ZERO;
    Rate bound = Rate.ZERO;
    List<Object> slices = new ArrayList<>();
    try (LogWriteOurs o = new LogWriteOurs(oursDir, storeConfig(), groupCount, writers, batch, payload);
        LogWriteBound b = new LogWriteBound(boundDir, LogStoreConfig.defaults(), groupCount, payload)) {
      long warmNs = TimeUnit.SECONDS.toNanos(warmup);
      int perBatch = 1;
      if (warmNs > 0) {
        perBatch = perBatch(o.run(warmNs));
        b.run(warmNs, perBatch);
      }
      long sliceNs = TimeUnit.MILLISECONDS.toNanos(sliceMs);
      int n = (int) Math.max(1, (seconds * 1000L + sliceMs - 1) / sliceMs);
      for (int i = 0; i < n; i++) {
        Rate os;
        Rate bs;
        if (i % 2 == 0) {
          os = o.run(sliceNs);
          perBatch = perBatch(os);
          bs = b.run(sliceNs, perBatch);
        } else {
          bs = b.run(sliceNs, perBatch);
          os = o.run(sliceNs);
          perBatch = perBatch(os);
        }
        ours = ours.plus(os);
        bound = bound.plus(bs);
        slices.add(Math.round(os.entriesPerSec() / bs.entriesPerSec() * 100) / 100.0);
      }
    } finally {
      deleteTree(oursDir);
      deleteTree(boundDir);
    }
    double ratio = ours.entriesPerSec() / bound.entriesPerSec();
    System.out.printf(Locale.ROOT, "%8d %14.0f %10.0f %12.1f %15.0f %13.0f %6.0f%%%n", groupCount, ours.entriesPerSec(),
        ours.syncsPerSec(), ours.entriesPerSync(), bound.entriesPerSec(), bound.syncsPerSec(), ratio * 100);
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("groups", groupCount);
    point.put("payload_bytes", payload);
    point.put("seconds", seconds);
    point.put("writers", Math.min(writers, groupCount));
    Map<String, Object> os = new LinkedHashMap<>();
    os.put("entries_per_sec", ours.entriesPerSec());
    os.put("syncs_per_sec", ours.syncsPerSec());
    os.put("entries_per_sync", ours.entriesPerSync());
    point.put("ours", os);
    Map<String, Object> bs = new LinkedHashMap<>();
    bs.put("entries_per_sec", bound.entriesPerSec());
    bs.put("syncs_per_sec", bound.syncsPerSec());
    bs.put("entries_per_batch", bound.entriesPerSync());
    point.put("bound", bs);
    point.put("ratio", ratio);
    point.put("slice_ratios", slices);
    return point;
  }

  private static int perBatch(Rate ours) {
    return (int) Math.max(1, Math.round(ours.entriesPerSync()));
  }

  /** Entries and syncs over a measured time; rates are totals over totals. */
  record Rate(double entries, double syncs, double seconds) {
    static final Rate ZERO = new Rate(0, 0, 0);

    Rate plus(Rate o) {
      return new Rate(entries + o.entries, syncs + o.syncs, seconds + o.seconds);
    }

    double entriesPerSec() {
      return seconds == 0 ? 0 : entries / seconds;
    }

    double syncsPerSec() {
      return seconds == 0 ? 0 : syncs / seconds;
    }

    double entriesPerSync() {
      return syncs == 0 ? 0 : entries / syncs;
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
