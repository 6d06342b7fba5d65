package io.multiraft.rangestore.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.range.RangeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Preparing an empty replica while a split's late group comes and goes on the node. */
class EmptyReplicaTest {
  private static final long RANGE = 7;

  /** In a script: the node answers that it holds no replica of the range. */
  private static final ConfState GONE = ConfState.ofVoters(99);

  /** Answers conf() from a script of memberships, or GONE. */
  private static class ScriptedSite implements EmptyReplica.Site {
    final ArrayDeque<ConfState> answers = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();
    private boolean gone;

    ScriptedSite answer(ConfState cs) {
      answers.add(cs);
      return this;
    }

    ScriptedSite gone() {
      answers.add(GONE);
      return this;
    }

    @Override
    public long nodeId() {
      return 3;
    }

    @Override
    public void drop() {
      calls.add("drop");
    }

    @Override
    public void prepare() {
      calls.add("prepare");
    }

    @Override
    public ConfState conf() {
      calls.add("conf");
      ConfState next = answers.poll();
      if (next == GONE) {
        throw new CompletionException(new RangeException.RangeNotFound(RANGE, "no replica of it on this node"));
      }
      return next;
    }
  }

  @Test
  void aFoundGroupThatDeletesItselfBeforeTheCheckIsPreparedAgain() {
    ScriptedSite site = new ScriptedSite().gone().answer(ConfState.EMPTY);
    EmptyReplica.prepare(site, RANGE);
    assertEquals(List.of("prepare", "conf", "prepare", "conf"), site.calls, "gone is as good as dropped: no drop, a new prepare");
  }

  @Test
  void aFoundGroupWithAMembershipIsDroppedAndPreparedAgain() {
    ScriptedSite site = new ScriptedSite().answer(ConfState.of(Set.of(1L, 2L, 3L), Set.of())).answer(ConfState.EMPTY);
    EmptyReplica.prepare(site, RANGE);
    assertEquals(List.of("prepare", "conf", "drop", "prepare", "conf"), site.calls);
  }

  @Test
  void anotherFailureOfTheCheckIsNotSwallowed() {
    EmptyReplica.Site site = new ScriptedSite() {
      @Override
      public ConfState conf() {
        throw new CompletionException(new RangeException("node 3 is not answering"));
      }
    };
    assertThrows(CompletionException.class, () -> EmptyReplica.prepare(site, RANGE));
  }

  @Test
  void aGroupThatKeepsComingBackGivesUpAfterTheRoundsWithTheReason() {
    ScriptedSite site = new ScriptedSite();
    for (int i = 0; i < EmptyReplica.MAX_ROUNDS; i++) {
      site.gone();
    }
    RangeException e = assertThrows(RangeException.class, () -> EmptyReplica.prepare(site, RANGE));
    assertEquals(true, e.getMessage().contains("gone again"), e.getMessage());
  }
}
