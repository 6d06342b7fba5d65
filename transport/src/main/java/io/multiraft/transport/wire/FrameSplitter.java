package io.multiraft.transport.wire;

import io.netty.buffer.ByteBuf;

/**
 * Cuts length-prefixed frames out of received bytes. The length is checked against the maximum
 * before anything is reserved for the body: a peer announcing 2 GB gets an error, not an allocation.
 */
public final class FrameSplitter {
  private FrameSplitter() {}

  /**
   * The next frame body of {@code in} as a retained slice (the caller releases it), or null if the
   * whole frame has not arrived yet; nothing is consumed then.
   */
  public static ByteBuf next(ByteBuf in, int maxFrameBytes) throws ProtocolException {
    if (in.readableBytes() < WireConstants.LENGTH_PREFIX_BYTES) {
      return null;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length == 0) {
      throw new ProtocolException("empty frame (length prefix 0)");
    }
    if (length > maxFrameBytes) {
      throw new ProtocolException("frame length " + length + " exceeds the maximum of " + maxFrameBytes + " bytes");
    }
    if (in.readableBytes() - WireConstants.LENGTH_PREFIX_BYTES < length) {
      return null;
    }
    in.skipBytes(WireConstants.LENGTH_PREFIX_BYTES);
    return in.readRetainedSlice((int) length);
  }
}
