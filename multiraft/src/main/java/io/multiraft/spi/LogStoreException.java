package io.multiraft.spi;

/**
 * The log store failed (I/O error, full disk, corruption, incompatible format). The node must stop
 * serving rather than go on with a log it cannot trust; the message names the cause and the path.
 */
public class LogStoreException extends RuntimeException {
  public LogStoreException(String message) {
    super(message);
  }

  public LogStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
