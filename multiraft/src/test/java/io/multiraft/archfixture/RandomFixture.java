package io.multiraft.archfixture;

import java.util.Random;

/** Deliberately violates the pure-core rule: owns a java.util.Random. */
public final class RandomFixture {
    private final Random random = new Random();

    public int jitter() {
        return random.nextInt(10);
    }
}
