package io.multiraft.bench;

/**
 * Raft workers per node when a run does not say: the benchmark's nodes share one machine, so each
 * gets its share of the cores. The engine's own default (a worker per core) is for a node that has
 * the machine to itself; three nodes with two workers each on two cores spent the difference on
 * context switches and smaller batches: 47,000–67,000 writes/s at 100 groups against 102,000 with
 * one worker per node, 42,800 against 48,600 at 10,000, the same at 1 group (2026-12-08).
 */
final class WorkerShare {
  /** The option's default, standing for "the node's share of the cores". */
  static final String DEFAULT = "0";
  static final String DESCRIPTION = "Raft worker threads per node; 0 (default): the machine's cores shared among the nodes, at least 1.";

  private WorkerShare() {}

  static int resolve(int workers, int nodes) {
    if (workers != 0) {
      return workers;
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, nodes));
  }
}
