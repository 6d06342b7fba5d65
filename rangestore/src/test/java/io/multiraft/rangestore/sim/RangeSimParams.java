package io.multiraft.rangestore.sim;

import java.util.SplittableRandom;

/** The knobs of one simulated run, drawn from its seed so that a seed names the whole scenario. */
record RangeSimParams(int nodes, int clients, long chaosNs, long tickMs, long snapshotEvery, double dropRate,
    double duplicateRate, long maxLatencyNs, long faultEveryNs, long nemesisEveryNs) {

  static RangeSimParams from(SplittableRandom r) {
    return new RangeSimParams(
        4 + r.nextInt(2),
        2 + r.nextInt(3),
        3_000_000_000L + r.nextLong(3_000_000_000L),
        10,
        r.nextBoolean() ? 10 + r.nextInt(40) : 200 + r.nextInt(800),
        r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.05,
        r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.02,
        1_000_000L + r.nextLong(8_000_000L),
        100_000_000L + r.nextLong(900_000_000L),
        50_000_000L + r.nextLong(300_000_000L));
  }
}
