package io.multiraft.transport;

import io.multiraft.transport.proto.ChannelKind;
import io.multiraft.transport.proto.Frame;
import io.multiraft.transport.proto.Hello;
import io.multiraft.transport.wire.WireConstants;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A hand-driven client socket that speaks (or breaks) the wire protocol. */
final class RawPeer implements AutoCloseable {
  final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  RawPeer(InetSocketAddress address) throws IOException {
    socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
  }

  /** "/127.0.0.1:port" as the node logs this client. */
  String localAddress() {
    return "/127.0.0.1:" + socket.getLocalPort();
  }

  void raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void frame(byte[] body) throws IOException {
    raw(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
  }

  static Hello.Builder hello(long nodeId) {
    return Hello.newBuilder().setClusterId(TransportCluster.CLUSTER).setNodeId(nodeId)
        .setProtocolVersion(WireConstants.PROTOCOL_VERSION).setKind(ChannelKind.CHANNEL_STREAM);
  }

  void hello(Hello.Builder h) throws IOException {
    frame(Frame.newBuilder().setHello(h).build().toByteArray());
  }

  /** Reads one frame from the node. */
  Frame readFrame() throws IOException {
    int length = in.readInt();
    byte[] body = new byte[length];
    in.readFully(body);
    return Frame.parseFrom(body);
  }

  /** Whether the node closes the connection before the socket timeout. */
  boolean closedByPeer() throws IOException {
    try {
      while (in.read() >= 0) {
        // whatever the node still sends before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
