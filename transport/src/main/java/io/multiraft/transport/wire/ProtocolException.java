package io.multiraft.transport.wire;

/**
 * Input that breaks the wire format. The only exception a decoder throws for bad bytes: the
 * connection that sent them is closed and logged; nothing else is affected.
 */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message, null, false, false); // no stack trace: it describes the peer's bytes, not our code
  }

  public ProtocolException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), null, false, false);
  }
}
