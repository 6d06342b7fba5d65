package io.multiraft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiraft.node.RaftException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailureCausesTest {

  @Test
  void countsByTheUnwrappedCauseAndOnlyWhatHappenedInTheWindow() {
    FailureCauses causes = new FailureCauses();
    causes.record(new CompletionException(new RaftException.NotLeader(1, 2)));
    Map<String, Long> before = causes.snapshot();
    causes.record(new CompletionException(new RaftException.NotLeader(1, 2)));
    causes.record(new RaftException.Overloaded("the inbound queue"));
    causes.record(new RaftException.Overloaded("the inbound queue"));

    assertEquals(Map.of("NotLeader", 1L, "Overloaded", 2L), FailureCauses.since(before, causes.snapshot()));
  }

  @Test
  void sumsThePrefixedCountsOfSeveralNodes() {
    Map<String, Object> n1 = Map.of("writes", 10L, "failed", 3L, "failed_NotLeader", 3L);
    Map<String, Object> n2 = Map.of("writes", 10L, "failed", 2L, "failed_NotLeader", 1L, "failed_Timeout", 1L);

    assertEquals(Map.of("NotLeader", 4L, "Timeout", 1L), FailureCauses.sumPrefixed(List.of(n1, n2)));
  }
}
