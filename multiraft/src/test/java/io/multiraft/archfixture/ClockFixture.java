package io.multiraft.archfixture;

/** Deliberately violates the pure-core call rule: reads the wall clock. */
public final class ClockFixture {
    public long now() {
        return System.nanoTime();
    }
}
