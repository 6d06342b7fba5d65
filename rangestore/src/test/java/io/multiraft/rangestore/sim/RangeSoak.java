package io.multiraft.rangestore.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs many seeds of the range store simulation in parallel (each run is single-threaded and
 * independent) and prints the failures grouped by cause.
 *
 * <pre>
 *   RangeSoak &lt;firstSeed&gt; &lt;count&gt; &lt;threads&gt;
 *   RangeSoak list &lt;seed,seed,...&gt; [threads]
 * </pre>
 *
 * Through Maven: {@code mvn -B -ntp -pl rangestore -am test -Dtest=RangeSoakLauncherTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.args="0 20000 2"}.
 */
public final class RangeSoak {
  private RangeSoak() {}

  public static void main(String[] args) throws Exception {
    List<Long> seeds = new ArrayList<>();
    int threads;
    if (args.length >= 2 && args[0].equals("list")) {
      for (String s : args[1].split(",")) {
        seeds.add(Long.parseLong(s.trim()));
      }
      threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    } else if (args.length == 3) {
      long first = Long.parseLong(args[0]);
      long count = Long.parseLong(args[1]);
      for (long s = first; s < first + count; s++) {
        seeds.add(s);
      }
      threads = Integer.parseInt(args[2]);
    } else {
      System.err.println("usage: RangeSoak <firstSeed> <count> <threads> | RangeSoak list <s1,s2,...> [threads]");
      System.exit(2);
      return;
    }
    int failed = run(seeds, threads);
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Runs the seeds; prints progress, then the failures by cause; returns how many failed. */
  static int run(List<Long> seeds, int threads) throws Exception {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, List<Long>> byCause = new TreeMap<>();
    Map<Long, String> details = new TreeMap<>();
    AtomicInteger done = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    for (long seed : seeds) {
      fs.add(pool.submit(() -> {
        String f;
        try {
          f = new RangeSimulation(seed, false).run();
        } catch (Throwable e) {
          f = "exception escaped the simulation: " + e;
        }
        synchronized (byCause) {
          if (f != null) {
            byCause.computeIfAbsent(cause(f), k -> new ArrayList<>()).add(seed);
            details.put(seed, f);
            System.out.println("FAIL seed " + seed + ": " + f);
          }
          int n = done.incrementAndGet();
          if (n % 500 == 0 || n == seeds.size()) {
            System.out.printf("progress: %d/%d seeds, %d failed, %.0f s%n", n, seeds.size(), details.size(),
                (System.nanoTime() - start) / 1e9);
          }
        }
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.MINUTES);
    System.out.printf("%n%d seeds, %d failed (%.2f%%), %.0f s%n", seeds.size(), details.size(),
        100.0 * details.size() / Math.max(1, seeds.size()), (System.nanoTime() - start) / 1e9);
    for (var e : byCause.entrySet()) {
      List<Long> s = e.getValue();
      System.out.println("  " + s.size() + " x " + e.getKey() + "  seeds " + (s.size() > 20 ? s.subList(0, 20) + "..." : s));
    }
    return details.size();
  }

  /** The failure's kind without its particulars (ids, indexes, keys), so equal causes group together. */
  static String cause(String failure) {
    String c = failure.replaceAll("r?\\d+", "#").replaceAll("\"[^\"]*\"", "\"…\"");
    int cut = c.indexOf(" (");
    if (cut > 0) {
      c = c.substring(0, cut);
    }
    return c.length() > 140 ? c.substring(0, 140) : c;
  }
}
