package io.multiraft.rangestore.kv;

import java.util.List;

/**
 * Part of a scan served by one range. {@code resumeKey} is where to continue (in this range when
 * the limit was hit, else the next range's start), or null when the scan is complete.
 */
public record ScanResult(List<KeyValue> entries, byte[] resumeKey) {}
