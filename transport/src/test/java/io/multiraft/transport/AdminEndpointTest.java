package io.multiraft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.transport.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admin requests on the transport's listener: the frames, the handshake, and replies out of order. */
class AdminEndpointTest {
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private NettyTransport transport() {
    NettyTransport t = new NettyTransport(TransportConfig.builder(1, "admin-test", new InetSocketAddress("127.0.0.1", 0)).build());
    closing.add(t);
    return t;
  }

  private AdminConnector connector(NettyTransport t) {
    AdminConnector c = new AdminConnector(t.localAddress(), null, AdminConnector.sharedLoop(), 5_000);
    closing.add(0, c);
    return c;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // Breaks if a request or response loses its id, method, status or body on the wire.
  @Test
  void framesRoundTrip() throws ProtocolException {
    ByteBuf req = AdminFrames.request(ByteBufAllocator.DEFAULT, 42, "split", b("body"));
    assertEquals(req.readableBytes() - 4, req.readInt());
    AdminFrames.Request r = AdminFrames.decodeRequest(req);
    assertEquals(42, r.id());
    assertEquals("split", r.method());
    assertArrayEquals(b("body"), r.body());
    req.release();
    ByteBuf resp = AdminFrames.response(ByteBufAllocator.DEFAULT, 7, new AdminFrames.Reply(false, b("err")));
    resp.readInt();
    AdminFrames.Response p = AdminFrames.decodeResponse(resp);
    assertEquals(7, p.id());
    assertFalse(p.reply().ok());
    assertArrayEquals(b("err"), p.reply().body());
    resp.release();
  }

  // Breaks if a truncated or foreign frame is accepted instead of refused.
  @Test
  void malformedFramesAreRefused() {
    assertThrows(ProtocolException.class, () -> AdminFrames.decodeRequest(Unpooled.wrappedBuffer(new byte[] {(byte) 0xA1, 0, 0})));
    assertThrows(ProtocolException.class, () -> AdminFrames.decodeResponse(Unpooled.wrappedBuffer(new byte[12])));
    ByteBuf longName = Unpooled.buffer().writeByte(0xA1).writeLong(1).writeShort(500).writeBytes(new byte[3]);
    assertThrows(ProtocolException.class, () -> AdminFrames.decodeRequest(longName));
  }

  // Breaks if requests on one connection are answered in order of arrival rather than completion,
  // or a reply reaches the wrong caller.
  @Test
  void requestsShareOneConnectionAndRepliesMatchTheirCalls() {
    NettyTransport t = transport();
    CompletableFuture<AdminFrames.Reply> slow = new CompletableFuture<>();
    t.serveAdmin((method, body) -> method.equals("slow") ? slow
        : CompletableFuture.completedFuture(new AdminFrames.Reply(true, (method + ":" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))));
    AdminConnector c = connector(t);
    CompletableFuture<AdminFrames.Reply> first = c.call("slow", new byte[0]);
    List<CompletableFuture<AdminFrames.Reply>> fast = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fast.add(c.call("echo", b("x" + i)));
    }
    for (int i = 0; i < 20; i++) {
      assertEquals("echo:x" + i, new String(fast.get(i).join().body(), StandardCharsets.UTF_8));
    }
    assertFalse(first.isDone(), "the slow request is still being served");
    slow.complete(new AdminFrames.Reply(false, b("late")));
    assertArrayEquals(b("late"), first.join().body());
    assertFalse(first.join().ok());
  }

  // Breaks if a node that serves no admin requests leaves the client waiting.
  @Test
  void aNodeWithoutAdminServiceRefusesTheHandshake() {
    NettyTransport t = transport();
    CompletionException e = assertThrows(CompletionException.class, () -> connector(t).call("ranges", new byte[0]).join());
    assertInstanceOf(AdminConnector.Unreachable.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("handshake"), e.getCause().getMessage());
  }

  // Breaks if a closed port hangs instead of failing with a message naming the address.
  @Test
  void anUnreachableAddressFailsAtOnce() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AdminConnector c = new AdminConnector(new InetSocketAddress("127.0.0.1", port), null, AdminConnector.sharedLoop(), 5_000);
    closing.add(c);
    CompletionException e = assertThrows(CompletionException.class, () -> c.call("ranges", new byte[0]).join());
    assertTrue(e.getCause().getMessage().contains("unreachable"), e.getCause().getMessage());
  }

  // Breaks if the service's failure leaves the request unanswered.
  @Test
  void aFailingServiceStillAnswers() {
    NettyTransport t = transport();
    t.serveAdmin((method, body) -> {
      throw new IllegalStateException("boom");
    });
    AdminFrames.Reply r = connector(t).call("x", new byte[0]).join();
    assertFalse(r.ok());
    assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("boom"));
  }
}
