/**
 * The wire format: length-prefixed frames whose bodies follow
 * {@code src/main/proto/multiraft/transport/v1/wire.proto}. The hot frames (message batches with
 * their coalesced heartbeat columns, snapshot chunks) are written and read by hand straight from and
 * into pooled {@code ByteBuf}s; the rare ones go through the protoc-generated classes. Decoders
 * throw only {@link io.multiraft.transport.wire.ProtocolException} for bad bytes. No sockets here.
 */
package io.multiraft.transport.wire;
