package io.multiraft.archfixture;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Code shaped like the core should be (records, enums, switches, lambdas, string concatenation,
 * collections, an injected seeded source): the pure-core rules must accept it.
 */
public final class CleanFixture {
    public enum Role { FOLLOWER, CANDIDATE, LEADER }

    public record Entry(long term, long index, byte[] data) {
        public Entry {
            Objects.requireNonNull(data);
        }
    }

    private final LongSupplier seededSource;
    private final List<Entry> log = new ArrayList<>();
    private Role role = Role.FOLLOWER;

    public CleanFixture(LongSupplier seededSource) {
        this.seededSource = seededSource;
    }

    public int electionTimeout(int base) {
        return base + (int) Math.floorMod(seededSource.getAsLong(), (long) base);
    }

    public String describe() {
        String r = switch (role) {
            case FOLLOWER -> "f";
            case CANDIDATE -> "c";
            case LEADER -> "l";
        };
        log.removeIf(e -> e.term() < 0);
        return r + ":" + log.size() + ":" + Math.max(0, log.size() - 1);
    }

    public void append(long term, byte[] data) {
        if (data.length > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("entry too large: " + data.length);
        }
        log.add(new Entry(term, log.size() + 1L, data));
        role = Role.LEADER;
    }
}
