package io.multiraft.bench;

import io.multiraft.rangestore.cli.BisectingSplits;
import io.multiraft.rangestore.cli.DemoTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code splitmerge}: the range store's splits and merges under a background write load, on 3
 * server processes (or in this process). Three timed phases: splits at fresh keys from several
 * threads (splits/s), merges of ranges whose replicas already agree (the common case after a
 * split), and merges whose right range first needs a replica added (learner, snapshot, promotion)
 * before it can be frozen and merged. Every acknowledged write is read back at the end.
 */
@Command(name = "splitmerge", mixinStandardHelpOptions = true,
    description = "Splits/s and merge times of the range store under a background write load.")
final class SplitMergeScenario implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--mode", defaultValue = "processes", description = "processes (3 server JVMs) or inprocess.")
  Mode mode;

  @Option(names = "--ranges", defaultValue = "100", description = "Ranges created before the timed phases.")
  int ranges;

  @Option(names = "--splits", defaultValue = "200", description = "Splits timed under load.")
  int splits;

  @Option(names = "--split-threads", defaultValue = "4", description = "Threads creating the initial ranges and issuing the timed splits.")
  int splitThreads;

  @Option(names = "--merges", defaultValue = "20", description = "Merges of ranges with the same replicas.")
  int merges;

  @Option(names = "--move-merges", defaultValue = "5", description = "Merges whose right range needs one replica added first.")
  int moveMerges;

  @Option(names = "--writers", defaultValue = "4", description = "Background writer threads (one write in flight each).")
  int writers;

  @Option(names = "--payload", defaultValue = "128")
  int payload;

  @Option(names = "--quick", description = "Smoke run: 10 ranges, 20 splits, 3 merges, 1 move-merge (options given explicitly win).")
  boolean quick;

  @Option(names = "--run-dir", description = "Parent of the per-run data directory (default: java.io.tmpdir); deleted after.")
  Path runDir;

  @Mixin
  ResultFiles results;

  @Override
  public Integer call() throws Exception {
    if (quick) {
      ParseResult given = spec.commandLine().getParseResult();
      ranges = given.hasMatchedOption("--ranges") ? ranges : 10;
      splits = given.hasMatchedOption("--splits") ? splits : 20;
      merges = given.hasMatchedOption("--merges") ? merges : 3;
      moveMerges = given.hasMatchedOption("--move-merges") ? moveMerges : 1;
    }
    if (ranges < 1 || splits < 0 || splitThreads < 1 || merges < 0 || merges > splits || moveMerges < 0
        || writers < 0 || payload < 1 || ranges > SplitMergeKeys.SLOTS) {
      throw new ParameterException(spec.commandLine(), "need 1 <= --ranges <= " + SplitMergeKeys.SLOTS
          + ", --merges <= --splits, --payload >= 1, and no negative counts");
    }
    Path dir = Files.createTempDirectory(runDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : runDir,
        "splitmerge");
    Map<String, Object> ours;
    try (DemoTarget c = DemoTarget.start(dir, mode == Mode.inprocess)) {
      ours = run(c);
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("bench splitmerge: run failed: " + e);
      spec.commandLine().getErr().flush();
      return 1;
    } finally {
      deleteTree(dir);
    }
    results.write("splitmerge", Results.point("splitmerge", ((Number) ours.get("ranges_final")).intValue(), 3,
        payload, mode.name(), ours));
    return (long) ours.get("writes_missing") == 0 ? 0 : 1;
  }

  private Map<String, Object> run(DemoTarget c) throws InterruptedException {
    SplitMergeKeys keys = new SplitMergeKeys(ranges);
    Progress.say("cluster up (" + mode + "); creating " + ranges + " ranges");
    List<byte[]> boundaries = new ArrayList<>();
    for (int i = 1; i < ranges; i++) {
      boundaries.add(keys.boundary(i));
    }
    BisectingSplits.run(c::splitAt, boundaries, splitThreads);
    Map<String, Object> ours = new LinkedHashMap<>();
    try (BackgroundWriters w = BackgroundWriters.start(c, writers, keys, payload)) {
      Progress.say(ranges + " ranges; " + writers + " writers started; timing " + splits + " splits on "
          + splitThreads + " threads");
      OpTimes split = OpTimes.parallel(splits, splitThreads, i -> c.splitAt(keys.inside(i)));
      split.report(ours, "split");
      ours.put("splits_per_sec", split.perSecond());
      Progress.say(String.format("splits: %.1f/s, p50 %.0f ms, max %.0f ms", split.perSecond(), split.p50Ms(),
          split.maxMs()));

      OpTimes merge = OpTimes.serial(merges, i -> OpTimes.timed(() -> c.mergeAt(keys.boundaryBefore(i))));
      merge.report(ours, "merge_aligned");
      Progress.say(String.format("aligned merges: mean %.0f ms, p50 %.0f ms, max %.0f ms", merge.meanMs(),
          merge.p50Ms(), merge.maxMs()));

      OpTimes moveMerge = OpTimes.serial(moveMerges, i -> {
        byte[] at = keys.moveSplit(splits, i);
        c.splitAt(at);
        c.relocate(at, Set.of(1L, 2L)); // untimed: the right range leaves node 3
        return OpTimes.timed(() -> c.mergeAt(keys.boundaryBefore(splits + i)));
      });
      moveMerge.report(ours, "merge_with_move");
      Progress.say(String.format("merges needing a replica added: mean %.0f ms, p50 %.0f ms, max %.0f ms",
          moveMerge.meanMs(), moveMerge.p50Ms(), moveMerge.maxMs()));
      w.stop();
      w.report(ours);
      Progress.say(String.format("background load: %.0f writes/s, p99 %.1f ms, %d failed", w.perSecond(),
          w.p99Ms(), w.failed()));
      long missing = w.readBack(c);
      ours.put("writes_missing", missing);
      ours.put("ranges_final", (long) c.rangeCount());
      Progress.say("read back " + w.acked() + " acknowledged writes: " + missing + " missing or wrong; "
          + c.rangeCount() + " ranges; groups per node: " + c.groupsPerNode());
    }
    return ours;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("could not delete " + root + ": " + e.getMessage());
    }
  }
}
