package io.multiraft.rangestore.log;

import io.multiraft.spi.LogStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The node's one RocksDB with its column families, opened with the checks that keep a store from
 * being used by the wrong code or by two owners: format version, families present, directory lock.
 */
final class LogDb implements AutoCloseable {
  static final byte[] FORMAT_KEY = "multiraft.log.format-version".getBytes(StandardCharsets.UTF_8);
  /** Bump when the key or value layout changes; older stores are then refused, not misread. */
  static final int FORMAT_VERSION = 1;

  final Path path;
  final RocksOptions options;
  final RocksDB db;
  final ColumnFamilyHandle defaultCf;
  final ColumnFamilyHandle logCf;
  final ColumnFamilyHandle stateCf;
  final ColumnFamilyHandle dataCf;
  private final List<ColumnFamilyHandle> handles;

  private LogDb(Path path, RocksOptions options, RocksDB db, List<String> families, List<ColumnFamilyHandle> handles) {
    this.path = path;
    this.options = options;
    this.db = db;
    this.handles = handles;
    this.defaultCf = handles.get(families.indexOf(RocksOptions.DEFAULT_CF));
    this.logCf = handles.get(families.indexOf(RocksOptions.LOG_CF));
    this.stateCf = handles.get(families.indexOf(RocksOptions.STATE_CF));
    this.dataCf = handles.get(families.indexOf(RocksOptions.DATA_CF));
  }

  static LogDb open(Path dir, LogStoreConfig cfg) {
    Path path = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new LogStoreException("cannot create the log store directory " + path + ": " + e, e);
    }
    RocksOptions options = new RocksOptions(cfg);
    RocksDB db = null;
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      boolean existing = Files.exists(path.resolve("CURRENT"));
      List<String> families = existing ? listFamilies(path) : RocksOptions.COLUMN_FAMILIES;
      if (!existing) {
        options.dbOptions().setCreateMissingColumnFamilies(true);
      }
      try {
        db = RocksDB.open(options.dbOptions(), path.toString(), options.descriptors(families), handles);
      } catch (RocksDBException e) {
        throw openFailure(path, e);
      }
      if (existing) {
        checkFormat(db, handles.get(families.indexOf(RocksOptions.DEFAULT_CF)), path);
        List<String> missing = new ArrayList<>(RocksOptions.COLUMN_FAMILIES);
        missing.removeAll(families);
        if (!missing.isEmpty()) {
          throw new LogStoreException("log store " + path + " is missing column famil" + (missing.size() == 1 ? "y " : "ies ")
              + missing + " (it has " + families + "): it is damaged or was not written by this engine; restore it"
              + " from a backup, or remove the directory and let the replicas be rebuilt from their peers");
        }
      } else {
        byte[] version = ByteBuffer.allocate(4).putInt(FORMAT_VERSION).array();
        db.put(handles.get(0), options.syncWrite(), FORMAT_KEY, version);
      }
      LogDb opened = new LogDb(path, options, db, families, handles);
      OwnerFile.write(path);
      return opened;
    } catch (RuntimeException | RocksDBException e) {
      for (ColumnFamilyHandle h : handles) {
        h.close();
      }
      if (db != null) {
        db.close();
      }
      options.close();
      if (e instanceof RocksDBException re) {
        throw new LogStoreException("cannot open log store " + path + ": " + re.getMessage(), re);
      }
      throw (RuntimeException) e;
    }
  }

  private static List<String> listFamilies(Path path) {
    try (Options o = new Options()) {
      List<String> out = new ArrayList<>();
      for (byte[] name : RocksDB.listColumnFamilies(o, path.toString())) {
        out.add(new String(name, StandardCharsets.UTF_8));
      }
      return out;
    } catch (RocksDBException e) {
      throw new LogStoreException("cannot read the column families of log store " + path + ": " + e.getMessage(), e);
    }
  }

  private static void checkFormat(RocksDB db, ColumnFamilyHandle defaultCf, Path path) throws RocksDBException {
    byte[] v = db.get(defaultCf, FORMAT_KEY);
    if (v == null) {
      throw new LogStoreException("log store " + path + " has no format-version record: it is not a multiraft log"
          + " store (or is damaged); this build writes format version " + FORMAT_VERSION);
    }
    int version = v.length == 4 ? ByteBuffer.wrap(v).getInt() : -1;
    if (version != FORMAT_VERSION) {
      throw new LogStoreException("log store " + path + " has format version " + (version < 0 ? "<unreadable>" : version)
          + " but this build reads format version " + FORMAT_VERSION + "; open it with a matching build, or remove the"
          + " directory and let the replicas be rebuilt from their peers");
    }
  }

  private static LogStoreException openFailure(Path path, RocksDBException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.toLowerCase(Locale.ROOT).contains("lock")) {
      return new LogStoreException("log store " + path + " is locked: it is already open in " + OwnerFile.describe(path)
          + ". Close that store (or stop that process) first. RocksDB said: " + msg, e);
    }
    return new LogStoreException("cannot open log store " + path + ": " + msg, e);
  }

  /** Releases the directory lock last, after the owner file is gone (lesson 22). */
  @Override
  public void close() {
    OwnerFile.deleteIfOurs(path);
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new LogStoreException("closing log store " + path + " failed: " + e.getMessage(), e);
    } finally {
      options.close();
    }
  }
}
