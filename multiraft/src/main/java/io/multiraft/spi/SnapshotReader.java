package io.multiraft.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The chunks of a snapshot's data, in order; used by one thread at a time. */
public interface SnapshotReader extends AutoCloseable {
  /** The next chunk, valid until the next call (its buffer may be reused), or null after the last. */
  ByteBuffer next() throws IOException;

  @Override
  void close();
}
