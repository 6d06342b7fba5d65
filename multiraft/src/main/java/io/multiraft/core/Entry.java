package io.multiraft.core;

import java.util.List;

/** One log entry. Immutable; {@code data} is never copied and must not be mutated after creation. */
public final class Entry {
  /** Bytes counted per entry besides its payload, for message and cache size limits. */
  public static final int OVERHEAD_BYTES = 24;

  private static final byte[] EMPTY = new byte[0];

  private final long term;
  private final long index;
  private final EntryType type;
  private final byte[] data;

  public Entry(long term, long index, EntryType type, byte[] data) {
    this.term = term;
    this.index = index;
    this.type = type;
    this.data = data == null ? EMPTY : data;
  }

  public static Entry normal(long term, long index, byte[] data) {
    return new Entry(term, index, EntryType.NORMAL, data);
  }

  public static Entry empty(long term, long index) {
    return new Entry(term, index, EntryType.NORMAL, EMPTY);
  }

  /** The same entry placed at another position: proposals are created before their index is known. */
  Entry at(long newTerm, long newIndex) {
    return new Entry(newTerm, newIndex, type, data);
  }

  public long term() {
    return term;
  }

  public long index() {
    return index;
  }

  public EntryType type() {
    return type;
  }

  public byte[] data() {
    return data;
  }

  public long sizeBytes() {
    return (long) data.length + OVERHEAD_BYTES;
  }

  public long payloadBytes() {
    return data.length;
  }

  public static long sizeBytes(List<Entry> entries) {
    long size = 0;
    for (int i = 0; i < entries.size(); i++) {
      size += entries.get(i).sizeBytes();
    }
    return size;
  }

  public static long payloadBytes(List<Entry> entries) {
    long size = 0;
    for (int i = 0; i < entries.size(); i++) {
      size += entries.get(i).data.length;
    }
    return size;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Entry e)) {
      return false;
    }
    return e.term == term && e.index == index && e.type == type && java.util.Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Long.hashCode(term);
  }

  @Override
  public String toString() {
    return term + "/" + index + (type == EntryType.CONF_CHANGE ? " CC" : "") + " " + data.length + "B";
  }
}
