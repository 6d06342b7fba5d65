package io.multiraft.sim;

import java.util.SplittableRandom;

/** Everything a seed randomises: sizes, timeouts, message limits, fault rates. */
record SimParams(
    int nodes,
    int groups,
    int clients,
    long tickNs,
    int electionTicks,
    long chaosNs,
    double dropRate,
    double duplicateRate,
    long maxLatencyNs,
    long faultEveryNs,
    int maxInflight,
    long maxSizePerMsg,
    long snapshotEvery,
    long compactionMargin,
    int workers,
    long logBudget) {

  static SimParams from(SplittableRandom r) {
    return new SimParams(
        3 + r.nextInt(3),
        r.nextInt(20) == 0 ? 100 + r.nextInt(900) : 1 + r.nextInt(6), // one seed in 20 runs hundreds of groups
        2 + r.nextInt(4),
        10_000_000L,
        8 + r.nextInt(8),
        3_000_000_000L + r.nextLong(5_000_000_000L),
        r.nextDouble() < 0.3 ? 0 : r.nextDouble() * 0.1,
        r.nextDouble() < 0.5 ? 0 : r.nextDouble() * 0.05,
        1_000_000L + r.nextLong(20_000_000L),
        100_000_000L + r.nextLong(400_000_000L),
        2 + r.nextInt(63),
        r.nextBoolean() ? 200 + r.nextInt(2_000) : 1 << 20,
        r.nextBoolean() ? 0 : 10 + r.nextInt(200),
        r.nextInt(20),
        1 + r.nextInt(2),
        // Drawn last, so the fields above stay what they were for every seed.
        r.nextInt(4) == 0 ? r.nextLong(32_000) : 0);
  }
}
