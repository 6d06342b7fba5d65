package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The byte form of a {@link ConfChange} inside a CONF_CHANGE entry. Layout: version (1), transition
 * (1), count (2), then per change: type (1), node id (8, big-endian). Decoding validates everything
 * and throws {@link MalformedConfChangeException}; a malformed entry is ignored, never applied.
 */
public final class ConfChangeCodec {
  private static final byte VERSION = 1;
  private static final int MAX_CHANGES = 1024;

  private ConfChangeCodec() {}

  public static final class MalformedConfChangeException extends IllegalArgumentException {
    public MalformedConfChangeException(String message) {
      super(message);
    }
  }

  public static byte[] encode(ConfChange cc) {
    byte[] out = new byte[4 + cc.changes().size() * 9];
    out[0] = VERSION;
    out[1] = (byte) cc.transition().ordinal();
    out[2] = (byte) (cc.changes().size() >>> 8);
    out[3] = (byte) cc.changes().size();
    int p = 4;
    for (ConfChange.Single s : cc.changes()) {
      out[p++] = (byte) s.type().ordinal();
      long id = s.nodeId();
      for (int shift = 56; shift >= 0; shift -= 8) {
        out[p++] = (byte) (id >>> shift);
      }
    }
    return out;
  }

  public static ConfChange decode(byte[] data) {
    if (data == null || data.length < 4) {
      throw new MalformedConfChangeException("conf change too short: " + (data == null ? 0 : data.length) + " bytes");
    }
    if (data[0] != VERSION) {
      throw new MalformedConfChangeException("unknown conf change version " + data[0]);
    }
    ConfChange.Transition[] transitions = ConfChange.Transition.values();
    int t = data[1] & 0xff;
    if (t >= transitions.length) {
      throw new MalformedConfChangeException("unknown conf change transition " + t);
    }
    int count = ((data[2] & 0xff) << 8) | (data[3] & 0xff);
    if (count > MAX_CHANGES || data.length != 4 + count * 9) {
      throw new MalformedConfChangeException("conf change of " + data.length + " bytes cannot hold " + count + " changes");
    }
    ConfChange.Type[] types = ConfChange.Type.values();
    List<ConfChange.Single> changes = new ArrayList<>(count);
    int p = 4;
    for (int i = 0; i < count; i++) {
      int type = data[p++] & 0xff;
      if (type >= types.length) {
        throw new MalformedConfChangeException("unknown conf change type " + type);
      }
      long id = 0;
      for (int b = 0; b < 8; b++) {
        id = (id << 8) | (data[p++] & 0xff);
      }
      if (id <= 0) {
        throw new MalformedConfChangeException("conf change names node id " + id);
      }
      changes.add(new ConfChange.Single(types[type], id));
    }
    return new ConfChange(transitions[t], changes);
  }
}
