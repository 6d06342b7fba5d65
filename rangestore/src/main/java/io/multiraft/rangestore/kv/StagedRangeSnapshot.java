package io.multiraft.rangestore.kv;

import io.multiraft.spi.ChunkedSnapshot;
import io.multiraft.spi.SnapshotReader;
import io.multiraft.core.SnapshotData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A received range snapshot, staged: its pairs in SST files under one directory, and its state.
 * {@link RangeStateMachine#restore(SnapshotData)} ingests it; releasing it deletes the directory
 * (after a successful ingest the files were moved into the database and it is empty).
 */
final class StagedRangeSnapshot extends ChunkedSnapshot {
  private final long rangeId;
  private final Path dir;
  private final RangeState state;
  private final List<Path> dataFiles;
  private final long bytes;

  StagedRangeSnapshot(long rangeId, Path dir, RangeState state, List<Path> dataFiles, long bytes) {
    this.rangeId = rangeId;
    this.dir = dir;
    this.state = state;
    this.dataFiles = List.copyOf(dataFiles);
    this.bytes = bytes;
  }

  long rangeId() {
    return rangeId;
  }

  RangeState state() {
    return state;
  }

  Path dir() {
    return dir;
  }

  /** SST files of the pairs, in key order (each file's keys follow the previous file's). */
  List<Path> dataFiles() {
    return dataFiles;
  }

  @Override
  public long sizeBytes() {
    return bytes;
  }

  /** Staged files are installed by ingestion, not read back as a stream. */
  @Override
  public SnapshotReader open() {
    throw new UnsupportedOperationException("a staged snapshot of range " + rangeId + " is ingested, not read");
  }

  @Override
  protected void free() {
    deleteTree(dir);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // scratch space: what is left is removed at the next start
    }
  }

  @Override
  public String toString() {
    return "staged snapshot of range " + rangeId + " (" + dataFiles.size() + " files, " + bytes + "B) in " + dir;
  }
}
