package io.multiraft.bench.peer;

import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer's state machine: counts applied entries and completes the proposer's closure, so a
 * write's latency runs from {@code Node.apply} to its application on the leader, as ours does.
 */
final class CountingStateMachine extends StateMachineAdapter {
  /** Shared by every replica in the JVM: only the total is reported. */
  private final LongAdder applied;

  CountingStateMachine(LongAdder applied) {
    this.applied = applied;
  }

  @Override
  public void onApply(Iterator iter) {
    long n = 0;
    while (iter.hasNext()) {
      if (iter.done() != null) {
        iter.done().run(Status.OK());
      }
      n++;
      iter.next();
    }
    applied.add(n);
  }
}
