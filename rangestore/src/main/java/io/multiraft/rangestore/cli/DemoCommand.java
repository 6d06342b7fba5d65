package io.multiraft.rangestore.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: a local 3-node cluster (server processes on loopback, or in this process with
 * {@code --in-process}); creates ranges by splitting, writes while it splits and merges more,
 * reads every acknowledged write back, prints a summary and stops the cluster.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run a local 3-node cluster and exercise it.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--in-process", description = "run the nodes in this process instead of 3 server processes")
  boolean inProcess;

  @Option(names = "--ranges", defaultValue = "1000", description = "ranges to create (default ${DEFAULT-VALUE})")
  int ranges;

  @Option(names = "--split-threads", defaultValue = "8", description = "threads creating the ranges (default ${DEFAULT-VALUE})")
  int splitThreads;

  @Option(names = "--churn", defaultValue = "10", description = "splits and merges each while writing (default ${DEFAULT-VALUE})")
  int churn;

  @Option(names = "--dir", description = "where the nodes keep their data (default: a temporary directory, deleted after)")
  Path dir;

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Integer call() throws Exception {
    if (ranges < 1 || churn < 0 || splitThreads < 1) {
      throw new IllegalArgumentException("--ranges and --split-threads must be at least 1 and --churn at least 0 (got "
          + ranges + ", " + splitThreads + ", " + churn + ")");
    }
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("rangestore-demo") : Files.createDirectories(dir);
    System.out.println("starting 3 nodes " + (inProcess ? "in this process" : "as server processes") + " in " + root);
    long t0 = System.nanoTime();
    try (DemoTarget c = DemoTarget.start(root, inProcess)) {
      System.out.printf("cluster up in %d ms%n", ms(t0));
      long t1 = System.nanoTime();
      List<byte[]> boundaries = new ArrayList<>();
      for (int i = 1; i < ranges; i++) {
        boundaries.add(k(String.format("k%04d", i)));
      }
      BisectingSplits.run(c::splitAt, boundaries, splitThreads);
      long splitMs = Math.max(1, ms(t1));
      System.out.printf("created %d ranges by %d splits on %d threads in %d ms (%.0f splits/s)%n", ranges,
          ranges - 1, splitThreads, splitMs, (ranges - 1) * 1000.0 / splitMs);

      Map<String, String> acked = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int id = w;
        Thread t = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            String key = String.format("k%04d-%d-%d", (i * 37 + id * 11) % ranges, id, i);
            try {
              c.put(k(key), k("v" + i));
              acked.put(key, "v" + i);
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
              return;
            }
          }
        }, "demo-writer-" + w);
        t.start();
        writers.add(t);
      }
      long t2 = System.nanoTime();
      long mergeMsTotal = 0;
      for (int i = 0; i < churn && failure.get() == null; i++) {
        int at = 1 + (i * 97) % Math.max(1, ranges - 2);
        c.splitAt(k(String.format("k%04d-5", at)));
        long tm = System.nanoTime();
        c.mergeAt(k(String.format("k%04d", at)));
        mergeMsTotal += ms(tm);
      }
      long churnMs = ms(t2);
      stop.set(true);
      for (Thread t : writers) {
        t.join();
      }
      if (failure.get() != null) {
        System.err.println("a writer failed: " + failure.get());
        return 1;
      }
      System.out.printf("%d writes acknowledged during %d splits and %d merges in %d ms; mean merge %d ms%n", acked.size(), churn,
          churn, churnMs, churn == 0 ? 0 : mergeMsTotal / churn);
      long t3 = System.nanoTime();
      int lost = 0;
      for (var e : acked.entrySet()) {
        if (!Arrays.equals(k(e.getValue()), c.get(k(e.getKey())))) {
          lost++;
        }
      }
      System.out.printf("read back %d keys in %d ms: %d missing or wrong%n", acked.size(), ms(t3), lost);
      System.out.printf("%d ranges; groups per node: %s%n", c.rangeCount(), c.groupsPerNode());
      System.out.println(lost == 0 ? "demo OK; stopping the cluster" : "demo FAILED: writes were lost");
      return lost == 0 ? 0 : 1;
    } finally {
      if (temporary) {
        deleteTree(root);
      }
    }
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("could not delete " + root + ": " + e.getMessage());
    }
  }

}
