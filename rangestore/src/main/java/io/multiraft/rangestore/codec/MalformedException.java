package io.multiraft.rangestore.codec;

/** A record could not be decoded: truncated, damaged (checksum), or of an unknown kind. */
public final class MalformedException extends RuntimeException {
  public MalformedException(String message) {
    super(message);
  }
}
