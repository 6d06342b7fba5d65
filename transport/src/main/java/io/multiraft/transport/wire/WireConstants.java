package io.multiraft.transport.wire;

/** Numbers both ends of a connection must agree on. */
public final class WireConstants {
  /** Bumped on any change a peer of the previous version could misread; checked in the handshake. */
  public static final int PROTOCOL_VERSION = 1;

  /** The big-endian length before every frame body. */
  public static final int LENGTH_PREFIX_BYTES = 4;

  /** The largest frame a peer may send before its handshake is accepted: a Hello is tiny. */
  public static final int MAX_HANDSHAKE_FRAME_BYTES = 4096;

  private WireConstants() {}
}
