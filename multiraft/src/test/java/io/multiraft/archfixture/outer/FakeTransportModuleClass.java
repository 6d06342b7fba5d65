package io.multiraft.archfixture.outer;

/** Stands in for a class of an outer module (transport, rangestore) in the fixture tests. */
public final class FakeTransportModuleClass {}
