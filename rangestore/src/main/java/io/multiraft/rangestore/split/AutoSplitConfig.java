package io.multiraft.rangestore.split;

/**
 * When a range is split without being asked: when its data grows past {@code maxRangeBytes}, or it
 * takes more than {@code maxWritesPerSecond} writes (Raft entries) per second, as measured by the
 * node's {@link AutoSplitter} every {@code checkIntervalMs}. A zero threshold disables that reason;
 * a zero interval (the default, {@link #OFF}) disables automatic splits.
 */
public record AutoSplitConfig(long maxRangeBytes, long maxWritesPerSecond, long checkIntervalMs) {
  public static final AutoSplitConfig OFF = new AutoSplitConfig(0, 0, 0);

  public AutoSplitConfig {
    if (maxRangeBytes < 0 || maxWritesPerSecond < 0 || checkIntervalMs < 0) {
      throw new IllegalArgumentException("automatic split thresholds and interval must be >= 0 (0 = off), got "
          + maxRangeBytes + " bytes, " + maxWritesPerSecond + " writes/s, every " + checkIntervalMs + " ms");
    }
  }

  public boolean enabled() {
    return checkIntervalMs > 0 && (maxRangeBytes > 0 || maxWritesPerSecond > 0);
  }
}
