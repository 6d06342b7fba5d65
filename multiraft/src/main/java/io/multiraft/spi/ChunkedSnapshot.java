package io.multiraft.spi;

import io.multiraft.core.SnapshotData;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Snapshot data held outside the heap (a database view, staged files) and read in chunks, with a
 * reference count: the holder that created it has one reference; each transfer takes one with
 * {@link #retain()} and gives it back with {@link #release()}; the last release frees what it
 * holds ({@link #free()}).
 */
public abstract class ChunkedSnapshot implements SnapshotData {
  private final AtomicInteger refs = new AtomicInteger(1);

  /** Opens a reader from the first chunk. */
  public abstract SnapshotReader open();

  /** Frees what the data holds; called once, by the last release. */
  protected abstract void free();

  @Override
  public long sizeBytes() {
    return -1;
  }

  @Override
  public final boolean retain() {
    while (true) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  @Override
  public final void release() {
    int n = refs.decrementAndGet();
    if (n == 0) {
      free();
    } else if (n < 0) {
      throw new IllegalStateException("snapshot data released more often than retained: " + this);
    }
  }

  /** Whether some holder still has a reference. */
  public final boolean live() {
    return refs.get() > 0;
  }
}
