package io.multiraft.transport;

import javax.net.ssl.SSLException;

/** Recognises a TLS failure among the exceptions a pipeline reports. */
final class TlsFailure {
  private TlsFailure() {}

  /** The TLS error's message if {@code cause} is (or wraps) one, else null. */
  static String describe(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return c.getMessage();
      }
    }
    return null;
  }
}
