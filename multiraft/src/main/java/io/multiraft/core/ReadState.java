package io.multiraft.core;

/**
 * The answer to a read-index request: once this replica has applied up to {@code index}, a read
 * served from its state machine is linearizable. {@code context} is the caller's request id.
 */
public record ReadState(long index, long context) {}
