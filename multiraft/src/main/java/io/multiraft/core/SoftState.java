package io.multiraft.core;

/** Volatile state worth telling the application about when it changes; never persisted. */
public record SoftState(long leader, Role role) {}
