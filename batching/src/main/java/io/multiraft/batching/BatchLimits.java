package io.multiraft.batching;

/**
 * When a batch is full or due: at {@code maxItems} items, at {@code maxBytes} bytes (the item that
 * crosses the limit still goes in, so an oversized item travels alone rather than never), or when
 * its oldest item has waited {@code maxAgeNs}.
 */
public record BatchLimits(int maxItems, long maxBytes, long maxAgeNs) {

  public static final long NO_AGE_LIMIT = Long.MAX_VALUE;

  public BatchLimits {
    if (maxItems <= 0) {
      throw new IllegalArgumentException("maxItems must be > 0, got " + maxItems);
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
    }
    if (maxAgeNs < 0) {
      throw new IllegalArgumentException("maxAgeNs must be >= 0, got " + maxAgeNs);
    }
  }

  /** Limits by count and bytes only: the caller decides when to flush a partial batch. */
  public static BatchLimits of(int maxItems, long maxBytes) {
    return new BatchLimits(maxItems, maxBytes, NO_AGE_LIMIT);
  }
}
