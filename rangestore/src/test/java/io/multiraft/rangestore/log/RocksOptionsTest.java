package io.multiraft.rangestore.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options RocksDB really runs with, read back from the OPTIONS file it writes on open. */
class RocksOptionsTest {
  @TempDir
  Path dir;

  @Test
  void theLogFamilyInsertsWithAHintPerGroupIntoOneSkipList() throws Exception {
    Path db = dir.resolve("db");
    RocksLogStore.open(db, LogStoreConfig.forTests()).close();
    List<String> log = familySection(db, RocksOptions.LOG_CF);
    assertTrue(log.contains("memtable_insert_with_hint_prefix_extractor=rocksdb.FixedPrefix." + LogKeys.GROUP_PREFIX_BYTES), log.toString());
    assertTrue(log.contains("memtable_factory=SkipListFactory"), log.toString());
    // The hint needs a single memtable writer.
    assertFalse(dbSection(db).contains("allow_concurrent_memtable_write=true"));
  }

  private static List<String> familySection(Path db, String family) throws Exception {
    return section(latestOptions(db), "[CFOptions \"" + family + "\"]");
  }

  private static List<String> dbSection(Path db) throws Exception {
    return section(latestOptions(db), "[DBOptions]");
  }

  private static List<String> latestOptions(Path db) throws Exception {
    try (Stream<Path> files = Files.list(db)) {
      Path newest = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
          .max(Comparator.comparing(p -> p.getFileName().toString()))
          .orElseThrow(() -> new AssertionError("no OPTIONS file in " + db));
      return Files.readAllLines(newest);
    }
  }

  private static List<String> section(List<String> lines, String header) {
    int start = lines.indexOf(header);
    assertTrue(start >= 0, "no " + header + " section");
    int end = start + 1;
    while (end < lines.size() && !lines.get(end).startsWith("[")) {
      end++;
    }
    return lines.subList(start + 1, end).stream().map(String::strip).toList();
  }
}
