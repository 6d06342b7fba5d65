package io.multiraft.bench;

import java.util.List;

/** Extra flags for a child JVM from a system property ({@code bench.nodeJvmFlags}, {@code bench.peerJvmFlags}). */
public final class ExtraJvmFlags {
  private ExtraJvmFlags() {}

  /** The property's whitespace-separated flags; none when it is unset or blank. */
  public static List<String> from(String property) {
    String extra = System.getProperty(property, "").trim();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }
}
