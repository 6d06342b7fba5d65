package io.multiraft.transport;

import io.multiraft.core.SnapshotData;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One snapshot being received into a temporary file. Every method runs on the store's I/O thread,
 * in the order the event loop submitted them.
 */
final class IncomingSnapshot implements SnapshotStaging {
  private final SnapshotStore store;
  private final long groupId;
  private final CRC32C crc = new CRC32C();
  private Path part;
  private FileChannel file;

  IncomingSnapshot(SnapshotStore store, long groupId) {
    this.store = store;
    this.groupId = groupId;
  }

  @Override
  public void open() throws IOException {
    part = store.newPart(groupId);
    file = FileChannel.open(part, StandardOpenOption.WRITE);
  }

  /** Appends a chunk; releases it. */
  @Override
  public void write(ByteBuf data) throws IOException {
    try {
      crc.update(data.nioBuffer());
      while (data.isReadable()) {
        data.readBytes(file, data.readableBytes());
      }
    } finally {
      data.release();
    }
  }

  /**
   * Checks the checksum, syncs the file, renames it into place and reads the data back: the bytes
   * handed to the node are the bytes that are durable on disk.
   */
  @Override
  public SnapshotData complete(int expectedCrc32c) throws IOException {
    int actual = (int) crc.getValue();
    if (actual != expectedCrc32c) {
      throw new IOException("checksum mismatch: received data has CRC32C " + Integer.toHexString(actual)
          + ", sender computed " + Integer.toHexString(expectedCrc32c));
    }
    file.force(true);
    file.close();
    file = null;
    Path target = store.finalPath(groupId);
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    part = null;
    store.syncDir();
    return SnapshotData.of(Files.readAllBytes(target));
  }

  /** Gives up: the partial file is deleted. Safe to call after complete or twice. */
  @Override
  public void abort() {
    try {
      if (file != null) {
        file.close();
        file = null;
      }
      if (part != null) {
        Files.deleteIfExists(part);
        part = null;
      }
    } catch (IOException e) {
      // best effort: a leftover part is deleted on the next start
    }
  }
}
