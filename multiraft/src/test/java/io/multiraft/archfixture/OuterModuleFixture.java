package io.multiraft.archfixture;

import io.multiraft.archfixture.outer.FakeTransportModuleClass;

/** Deliberately depends on a class standing in for an outer module (see the fixture rule). */
public final class OuterModuleFixture {
    public Object wire() {
        return new FakeTransportModuleClass();
    }
}
