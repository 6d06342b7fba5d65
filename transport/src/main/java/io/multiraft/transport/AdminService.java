package io.multiraft.transport;

import java.util.concurrent.CompletableFuture;

/**
 * A node's admin methods, served on the transport's listener to admin connections (see
 * {@link NettyTransport#serveAdmin}). Must not block the caller (a Netty event loop): the reply
 * completes the future, on any thread.
 */
@FunctionalInterface
public interface AdminService {
  CompletableFuture<AdminFrames.Reply> call(String method, byte[] body);
}
