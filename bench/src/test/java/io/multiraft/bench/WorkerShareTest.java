package io.multiraft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WorkerShareTest {

  @Test
  void aGivenCountIsKept() {
    assertEquals(3, WorkerShare.resolve(3, 3));
  }

  @Test
  void theDefaultSharesTheCoresAndKeepsAtLeastOne() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(cores, WorkerShare.resolve(0, 1));
    assertEquals(1, WorkerShare.resolve(0, cores + 1));
  }
}
