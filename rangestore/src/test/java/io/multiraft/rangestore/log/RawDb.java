package io.multiraft.rangestore.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** A store's directory opened with the plain RocksDB API, to damage it the way a disk or a bug would. */
final class RawDb implements AutoCloseable {
  final RocksDB db;
  private final List<String> names = new ArrayList<>();
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();

  private RawDb(Path path, List<String> create) throws RocksDBException {
    RocksDB.loadLibrary();
    List<byte[]> existing;
    try (Options o = new Options()) {
      existing = create == null ? RocksDB.listColumnFamilies(o, path.toString()) : List.of();
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (byte[] n : existing) {
      names.add(new String(n, StandardCharsets.UTF_8));
    }
    if (create != null) {
      names.addAll(create);
    }
    for (String n : names) {
      descriptors.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), cfOptions));
    }
    dbOptions = new DBOptions().setCreateIfMissing(create != null).setCreateMissingColumnFamilies(create != null);
    db = RocksDB.open(dbOptions, path.toString(), descriptors, handles);
  }

  /** Opens an existing store's database with all its families. */
  static RawDb open(Path path) throws RocksDBException {
    return new RawDb(path, null);
  }

  /** Creates a database with exactly these families (the default one first). */
  static RawDb create(Path path, List<String> families) throws RocksDBException {
    return new RawDb(path, families);
  }

  ColumnFamilyHandle family(String name) {
    return handles.get(names.indexOf(name));
  }

  @Override
  public void close() {
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    dbOptions.close();
    cfOptions.close();
  }
}
