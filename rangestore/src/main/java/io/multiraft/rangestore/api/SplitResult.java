package io.multiraft.rangestore.api;

import io.multiraft.rangestore.range.RangeDescriptor;

/** The two ranges a split produced: the original, shrunk, and the new right-hand one. */
public record SplitResult(RangeDescriptor left, RangeDescriptor right) {}
