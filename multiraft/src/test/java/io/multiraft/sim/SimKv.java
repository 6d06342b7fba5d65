package io.multiraft.sim;

import io.multiraft.core.Entry;
import io.multiraft.spi.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated key-value state machine of one group on one node. Its state is "durable" at once
 * (like a store that writes the applied index with the data in one synced batch), so it survives a
 * simulated crash while everything unsynced in the log store does not.
 */
final class SimKv implements StateMachine {
  /** What survives a crash: the map and the applied index. */
  static final class Durable {
    final TreeMap<String, Long> data = new TreeMap<>();
    long appliedIndex;
    io.multiraft.core.ConfState conf;
  }

  interface ApplyListener {
    void applied(long node, long group, Entry e);
  }

  private final long node;
  private final long group;
  private final Durable state;
  private final ApplyListener listener;

  SimKv(long node, long group, Durable state, ApplyListener listener) {
    this.node = node;
    this.group = group;
    this.state = state;
    this.listener = listener;
  }

  @Override
  public Object apply(Entry e) {
    listener.applied(node, group, e);
    KvCommand c = KvCommand.decode(e.data());
    state.appliedIndex = e.index();
    if (c.cas()) {
      Long cur = state.data.get(c.key());
      boolean ok = c.expected() == null ? cur == null : c.expected().equals(cur);
      if (ok) {
        state.data.put(c.key(), c.value());
      }
      return ok;
    }
    state.data.put(c.key(), c.value());
    return Boolean.TRUE;
  }

  Long get(String key) {
    return state.data.get(key);
  }

  long appliedIndex() {
    return state.appliedIndex;
  }

  long stateHash() {
    return state.data.hashCode();
  }

  Map<String, Long> data() {
    return state.data;
  }

  @Override
  public long lastApplied() {
    return state.appliedIndex;
  }

  @Override
  public void applyConfChange(long index, long term, io.multiraft.core.ConfState conf) {
    state.conf = conf; // durable together with the applied index, like a range descriptor
    state.appliedIndex = Math.max(state.appliedIndex, index);
  }

  @Override
  public io.multiraft.core.ConfState appliedConfState() {
    return state.conf;
  }

  @Override
  public byte[] snapshot() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(state.appliedIndex);
      out.writeInt(state.data.size());
      for (var e : state.data.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue());
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void restore(byte[] snapshot) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
      long applied = in.readLong();
      int n = in.readInt();
      state.data.clear();
      for (int i = 0; i < n; i++) {
        state.data.put(in.readUTF(), in.readLong());
      }
      state.appliedIndex = applied;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
