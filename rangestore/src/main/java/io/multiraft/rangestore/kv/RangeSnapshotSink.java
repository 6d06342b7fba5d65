package io.multiraft.rangestore.kv;

import io.multiraft.spi.SnapshotReader;
import io.multiraft.spi.SnapshotStreams;
import io.multiraft.core.SnapshotData;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.spi.SnapshotSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;

/**
 * Stages received range snapshots as SST files, chunk by chunk, so a snapshot of any size costs
 * the receiver one chunk of memory: pairs are checked (inside the range's span, strictly
 * increasing) and appended to a file that rolls over every {@link #FILE_BYTES}. Each transfer has
 * a directory of its own under the staging directory; a failed transfer deletes it, and the whole
 * staging directory is emptied when the node starts (what a crash left behind).
 */
public final class RangeSnapshotSink implements SnapshotSink {
  static final long FILE_BYTES = 64L << 20;
  private static final AtomicLong TRANSFERS = new AtomicLong();
  private static final String PREFIX = "range-";

  private final Path root;

  RangeSnapshotSink(Path root) {
    this.root = root;
    StagedRangeSnapshot.deleteTree(root);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the snapshot staging directory " + root, e);
    }
  }

  Path root() {
    return root;
  }

  @Override
  public Staging begin(long groupId, SnapshotMeta meta, long fromNode) throws IOException {
    Path dir = root.resolve(PREFIX + groupId + "-" + TRANSFERS.incrementAndGet());
    Files.createDirectories(dir);
    return new Staging(groupId, dir);
  }

  /**
   * The range's replica left this node: what was staged for it and never installed (a transfer
   * still running, or a snapshot Raft did not take) is deleted. A transfer still writing fails.
   */
  public void rangeRemoved(long rangeId) {
    try (var dirs = Files.newDirectoryStream(root, PREFIX + rangeId + "-*")) {
      for (Path d : dirs) {
        StagedRangeSnapshot.deleteTree(d);
      }
    } catch (IOException e) {
      // scratch space: emptied at the next start
    }
  }

  /** Stages a whole snapshot held in memory (a transport that delivers bytes, or a test). */
  StagedRangeSnapshot stage(long rangeId, SnapshotData data) throws IOException {
    Staging s = begin(rangeId, null, 0);
    try (SnapshotReader r = SnapshotStreams.open(data)) {
      for (ByteBuffer c = r.next(); c != null; c = r.next()) {
        s.chunk(c);
      }
      return s.complete();
    } catch (IOException | RuntimeException e) {
      s.abort();
      throw e;
    }
  }

  /** One transfer being staged; its methods run on one thread, in order. */
  static final class Staging implements Receiving, SnapshotChunks.Records {
    private final long rangeId;
    private final Path dir;
    private final SnapshotChunks.Parser parser;
    private final List<Path> files = new ArrayList<>();
    private final EnvOptions env = new EnvOptions();
    private final Options options = new Options();
    private SstFileWriter writer;
    private long fileBytes;
    private long bytes;
    private RangeState state;
    private byte[] lo;
    private byte[] hi;
    private byte[] previous = new byte[256];
    private int previousLength = -1;
    private byte[] scratch = new byte[256];
    private boolean done;

    Staging(long rangeId, Path dir) {
      this.rangeId = rangeId;
      this.dir = dir;
      this.parser = new SnapshotChunks.Parser(this, "snapshot of range " + rangeId);
    }

    @Override
    public void chunk(ByteBuffer data) throws IOException {
      try {
        parser.feed(data);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } catch (MalformedException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public void state(RangeState s) {
      RangeDescriptor d = s.descriptor();
      if (d.rangeId() != rangeId) {
        throw new MalformedException("a snapshot of range " + d.rangeId() + " was sent for range " + rangeId);
      }
      state = s;
      lo = DataKeys.user(d.startKey());
      hi = DataKeys.userEnd(d.endKey());
    }

    @Override
    public void pair(ByteBuffer key, ByteBuffer value) {
      int n = key.remaining();
      if (scratch.length < n) {
        scratch = new byte[Math.max(n, scratch.length * 2)];
      }
      key.get(key.position(), scratch, 0, n);
      if (Arrays.compareUnsigned(scratch, 0, n, lo, 0, lo.length) < 0
          || Arrays.compareUnsigned(scratch, 0, n, hi, 0, hi.length) >= 0
          || (previousLength >= 0 && Arrays.compareUnsigned(previous, 0, previousLength, scratch, 0, n) >= 0)) {
        throw new MalformedException("snapshot of range " + rangeId + " holds a key outside " + state.descriptor()
            + " or out of order");
      }
      byte[] t = previous;
      previous = scratch;
      scratch = t;
      previousLength = n;
      int size = n + value.remaining();
      try {
        if (writer == null) {
          writer = new SstFileWriter(env, options);
          Path f = dir.resolve(String.format("data-%05d.sst", files.size() + 1));
          writer.open(f.toString());
          files.add(f);
          fileBytes = 0;
        }
        writer.put(key, value);
        fileBytes += size;
        bytes += size;
        if (fileBytes >= FILE_BYTES) {
          finishFile();
        }
      } catch (RocksDBException e) {
        throw new UncheckedIOException(new IOException("staging range " + rangeId + " failed: " + e.getMessage(), e));
      }
    }

    @Override
    public void end() {}

    private void finishFile() throws RocksDBException {
      if (writer != null) {
        writer.finish(); // syncs the file
        writer.close();
        writer = null;
      }
    }

    @Override
    public StagedRangeSnapshot complete() throws IOException {
      try {
        parser.finish();
        finishFile();
      } catch (MalformedException e) {
        abort();
        throw new IOException(e.getMessage(), e);
      } catch (RocksDBException e) {
        abort();
        throw new IOException("staging range " + rangeId + " failed: " + e.getMessage(), e);
      }
      done = true;
      closeOptions();
      return new StagedRangeSnapshot(rangeId, dir, state, files, bytes);
    }

    @Override
    public void abort() {
      if (writer != null) {
        writer.close();
        writer = null;
      }
      closeOptions();
      if (!done) {
        StagedRangeSnapshot.deleteTree(dir);
      }
    }

    private void closeOptions() {
      env.close();
      options.close();
    }
  }
}
