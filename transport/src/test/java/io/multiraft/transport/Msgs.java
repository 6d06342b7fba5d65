package io.multiraft.transport;

import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import java.util.ArrayList;
import java.util.List;

/** Raft messages for transport tests. */
final class Msgs {
  private Msgs() {}

  static Message heartbeat(long group, long from, long to, long term, long commit, long context) {
    return new Message(group, MessageType.HEARTBEAT, from, to, term, 0, 0, null, commit, false, 0, null, context);
  }

  static Message heartbeatResponse(long group, long from, long to, long term, long context) {
    return new Message(group, MessageType.HEARTBEAT_RESPONSE, from, to, term, 0, 0, null, 0, false, 0, null, context);
  }

  static Message append(long group, long from, long to, long term, long index, int entries, int payloadBytes) {
    List<Entry> es = new ArrayList<>();
    for (int i = 1; i <= entries; i++) {
      byte[] data = new byte[payloadBytes];
      for (int j = 0; j < data.length; j++) {
        data[j] = (byte) (group * 31 + index + i + j);
      }
      es.add(new Entry(term, index + i, EntryType.NORMAL, data));
    }
    return new Message(group, MessageType.APPEND, from, to, term, term, index, es, index, false, 0, null, 0);
  }
}
