package io.multiraft.archfixture;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/** Deliberately violates the pure-core rule: uses java.util.concurrent. */
public final class ConcurrentFixture {
    private final Map<Long, String> groups = new ConcurrentHashMap<>();

    public String group(long id) {
        return groups.get(id);
    }
}
