package io.multiraft.archfixture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deliberately violates the pure-core rule: logs through slf4j. */
public final class LoggingFixture {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingFixture.class);

    public void step() {
        LOG.debug("step");
    }
}
