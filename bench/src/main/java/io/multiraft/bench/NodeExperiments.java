package io.multiraft.bench;

import io.multiraft.node.NodeConfig;

/**
 * Node settings a run may change for an experiment, from system properties (for node JVMs, pass
 * them in {@code -Dbench.nodeJvmFlags="..."}); unset, the runtime's defaults:
 * {@code -Dbench.appendWindow=N} ({@link NodeConfig.Builder#appendWindow}, to measure the window
 * against pipelining) and {@code -Dbench.logBudgetBytes=N} ({@link NodeConfig.Builder#logBudgetBytes},
 * to measure how long a group's log lives against the log store's compaction work).
 */
public final class NodeExperiments {
  private NodeExperiments() {}

  /** A node's config with the experiment's settings. */
  public static NodeConfig.Builder apply(NodeConfig.Builder b) {
    NodeConfig defaults = NodeConfig.builder(1).build();
    int window = Integer.getInteger("bench.appendWindow", defaults.appendWindow());
    if (window <= 0) {
      throw new IllegalArgumentException("-Dbench.appendWindow must be > 0, got " + window);
    }
    long budget = Long.getLong("bench.logBudgetBytes", defaults.logBudgetBytes());
    if (budget < 0) {
      throw new IllegalArgumentException("-Dbench.logBudgetBytes must be >= 0, got " + budget);
    }
    return b.appendWindow(window).logBudgetBytes(budget);
  }
}
