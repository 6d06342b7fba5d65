package io.multiraft.rangestore.sim;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Starts {@link RangeSoak} through Maven when {@code -Dsoak.args="..."} is given; skipped otherwise. */
class RangeSoakLauncherTest {
  @Test
  void soak() throws Exception {
    String args = System.getProperty("soak.args");
    assumeTrue(args != null && !args.isBlank(), "no -Dsoak.args: the soak runs only on request");
    String[] a = args.trim().split("\\s+");
    java.util.List<Long> seeds = new java.util.ArrayList<>();
    int threads;
    if (a[0].equals("list")) {
      for (String s : a[1].split(",")) {
        seeds.add(Long.parseLong(s.trim()));
      }
      threads = a.length > 2 ? Integer.parseInt(a[2]) : 1;
    } else {
      long first = Long.parseLong(a[0]);
      long count = Long.parseLong(a[1]);
      for (long s = first; s < first + count; s++) {
        seeds.add(s);
      }
      threads = Integer.parseInt(a[2]);
    }
    RangeSoak.run(seeds, threads); // reports; a soak with failures is read, not asserted
  }
}
