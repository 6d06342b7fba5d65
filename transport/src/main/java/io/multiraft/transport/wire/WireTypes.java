package io.multiraft.transport.wire;

import io.multiraft.core.EntryType;
import io.multiraft.core.MessageType;

/**
 * Enum numbers on the wire: the core's ordinal + 1, since proto3 reserves 0 for "unset".
 * WireSchemaTest checks that the .proto enums list the core's constants in the same order.
 */
final class WireTypes {
  private static final MessageType[] MESSAGE_TYPES = MessageType.values();
  private static final EntryType[] ENTRY_TYPES = EntryType.values();

  private WireTypes() {}

  static int of(MessageType t) {
    return t.ordinal() + 1;
  }

  static int of(EntryType t) {
    return t.ordinal() + 1;
  }

  static MessageType messageType(int wire) throws ProtocolException {
    if (wire < 1 || wire > MESSAGE_TYPES.length) {
      throw new ProtocolException("unknown message type " + wire);
    }
    return MESSAGE_TYPES[wire - 1];
  }

  static EntryType entryType(int wire) throws ProtocolException {
    if (wire < 1 || wire > ENTRY_TYPES.length) {
      throw new ProtocolException("unknown entry type " + wire);
    }
    return ENTRY_TYPES[wire - 1];
  }
}
