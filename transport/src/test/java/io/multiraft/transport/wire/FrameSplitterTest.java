package io.multiraft.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FrameSplitterTest {

  @Test
  void anOversizedLengthIsRefusedFromItsFourBytesAlone() {
    // only the prefix has arrived: the error comes before any body byte is awaited or reserved
    ByteBuf in = Unpooled.buffer(4).writeInt(0x7FFF_FFFF);
    ProtocolException e = assertThrows(ProtocolException.class, () -> FrameSplitter.next(in, 1 << 20));
    assertTrue(e.getMessage().contains("exceeds the maximum"), e.getMessage());
    ByteBuf negative = Unpooled.buffer(4).writeInt(-1); // 4 GB as an unsigned length
    assertThrows(ProtocolException.class, () -> FrameSplitter.next(negative, 1 << 20));
  }

  @Test
  void anEmptyFrameIsAnError() {
    assertThrows(ProtocolException.class, () -> FrameSplitter.next(Unpooled.buffer().writeInt(0), 1024));
  }

  @Test
  void partialFramesWaitWithoutConsuming() throws ProtocolException {
    ByteBuf in = Unpooled.buffer();
    in.writeShort(0);
    assertNull(FrameSplitter.next(in, 1024));
    in.writeShort(3).writeByte(1).writeByte(2);
    assertNull(FrameSplitter.next(in, 1024));
    assertEquals(0, in.readerIndex(), "nothing consumed while incomplete");
    in.writeByte(3).writeInt(1).writeByte(9);
    ByteBuf first = FrameSplitter.next(in, 1024);
    assertEquals(3, first.readableBytes());
    assertEquals(3, first.getByte(2));
    ByteBuf second = FrameSplitter.next(in, 1024);
    assertEquals(9, second.getByte(0));
    assertNull(FrameSplitter.next(in, 1024));
    first.release();
    second.release();
  }

  @Test
  void frameKindRejectsUnknownFirstBytes() {
    assertThrows(ProtocolException.class, () -> FrameKind.of(Unpooled.wrappedBuffer(new byte[] {0x08, 0x01})));
    assertThrows(ProtocolException.class, () -> FrameKind.of(Unpooled.wrappedBuffer(new byte[] {(byte) 0x4A, 0x00})));
    assertThrows(ProtocolException.class, () -> FrameKind.of(Unpooled.EMPTY_BUFFER));
  }
}
