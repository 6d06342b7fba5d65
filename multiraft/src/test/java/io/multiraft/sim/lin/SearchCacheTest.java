package io.multiraft.sim.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class SearchCacheTest {

  @Test
  void aConfigurationIsNewOnlyOnce() {
    SearchCache<RegisterState> cache = new SearchCache<>(new RegisterModel());
    BitSet bits = new BitSet();
    bits.set(3);
    assertTrue(cache.add(bits, RegisterState.of(1L)));
    assertFalse(cache.add(bits, RegisterState.of(1L)), "same operations, equal state");
    assertTrue(cache.add(bits, RegisterState.of(2L)), "same operations, another state");
    assertTrue(cache.add(bits, RegisterState.ABSENT));
    bits.set(4);
    assertTrue(cache.add(bits, RegisterState.of(1L)), "more operations, same state");
    assertEquals(4, cache.size());
  }

  @Test
  void theCacheKeepsItsOwnCopyOfTheSet() {
    SearchCache<RegisterState> cache = new SearchCache<>(new RegisterModel());
    BitSet bits = new BitSet();
    bits.set(1);
    cache.add(bits, RegisterState.ABSENT);
    // the search flips bits on and off in one set as it backtracks
    bits.clear(1);
    assertTrue(cache.add(bits, RegisterState.ABSENT));
    bits.set(1);
    assertFalse(cache.add(bits, RegisterState.ABSENT));
  }
}
