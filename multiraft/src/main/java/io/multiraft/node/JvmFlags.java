package io.multiraft.node;

import java.util.List;

/**
 * The JVM flags we recommend for a process hosting a node, and give the processes we start (the
 * demo's servers, the benchmark's node JVMs; not the benchmark's peer, which runs as it is meant to).
 *
 * <p>Why: a node with thousands of active groups keeps each group's state in the old generation,
 * and every write stores fresh objects (entries, messages, Readies) into the state of the few
 * groups it touches. Each such store dirties a G1 card, and on JDK 17 G1 re-scans dirty cards
 * concurrently ("refinement") as they arrive, over and over for the same hot cards. At 10,000
 * groups that took a quarter of all CPU (perf, in-process run), and deferring it to the young
 * pause, which scans each dirty card once, gave 45,000 writes/s against 28,000–33,000 with the
 * default on 3 node JVMs sharing 2 cores, with a lower p99.9 and no worse at 1 group.
 *
 * <p>JDK 20 replaced that refinement control (and made these flags obsolete), so they are given
 * only to older JVMs.
 */
public final class JvmFlags {
  private JvmFlags() {}

  /** G1 refines dirty cards in its pauses, not concurrently (see the class comment). */
  public static List<String> forNode() {
    return forNode(Runtime.version().feature());
  }

  static List<String> forNode(int jdkFeature) {
    if (jdkFeature >= 20) {
      return List.of();
    }
    return List.of(
        "-XX:-G1UseAdaptiveConcRefinement",
        // zones in buffers of dirty cards: green, below which refinement threads stay idle, far
        // above what a young generation dirties between two pauses; red, where the writing
        // threads themselves would refine, further still
        "-XX:G1ConcRefinementGreenZone=1000000",
        "-XX:G1ConcRefinementYellowZone=2000000",
        "-XX:G1ConcRefinementRedZone=3000000");
  }
}
