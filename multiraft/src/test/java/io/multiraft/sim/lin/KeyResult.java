package io.multiraft.sim.lin;

/** The verdict on one key's partition of the history. */
record KeyResult(String key, Verdict verdict, int operations, long steps, String explanation) {}
