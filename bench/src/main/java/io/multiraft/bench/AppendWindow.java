package io.multiraft.bench;

import io.multiraft.node.NodeConfig;

/**
 * The nodes' append window ({@link NodeConfig.Builder#appendWindow}), from
 * {@code -Dbench.appendWindow=N} (for node JVMs: {@code -Dbench.nodeJvmFlags="-Dbench.appendWindow=N"}),
 * else the runtime's default: to measure the window against pipelining.
 */
public final class AppendWindow {
  private AppendWindow() {}

  public static int get() {
    int fallback = NodeConfig.builder(1).build().appendWindow();
    int w = Integer.getInteger("bench.appendWindow", fallback);
    if (w <= 0) {
      throw new IllegalArgumentException("-Dbench.appendWindow must be > 0, got " + w);
    }
    return w;
  }
}
