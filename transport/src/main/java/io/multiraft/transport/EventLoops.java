package io.multiraft.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The transport's threads: the message stream's event loops, and one separate loop for snapshot
 * connections, so a snapshot's bytes and TLS work never queue behind or in front of the stream's
 * (lesson 23). Epoll when the native library loads, NIO otherwise.
 */
final class EventLoops implements AutoCloseable {
  final EventLoopGroup stream;
  final EventLoopGroup snapshot;
  final Class<? extends SocketChannel> socketChannel;
  final Class<? extends ServerSocketChannel> serverChannel;
  final boolean epoll;
  /**
   * Reads the chunks of snapshots being sent (a database view may take milliseconds per chunk), so
   * neither an event loop nor a raft thread waits for it; one thread, one chunk ahead at most.
   */
  final ExecutorService snapshotReads;

  EventLoops(long nodeId, int streamThreads, boolean preferEpoll) {
    this.epoll = preferEpoll && Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.stream = new MultiThreadIoEventLoopGroup(streamThreads, new DefaultThreadFactory("raft-net-" + nodeId, true), io);
    this.snapshot = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("raft-snap-net-" + nodeId, true), io);
    this.snapshotReads = Executors.newSingleThreadExecutor(new DefaultThreadFactory("raft-snap-read-" + nodeId, true));
    this.socketChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  @Override
  public void close() {
    var a = stream.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    var b = snapshot.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    a.awaitUninterruptibly(5, TimeUnit.SECONDS);
    b.awaitUninterruptibly(5, TimeUnit.SECONDS);
    // after the loops: the transfers they failed queued the release of their readers here
    snapshotReads.shutdown();
    try {
      snapshotReads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
