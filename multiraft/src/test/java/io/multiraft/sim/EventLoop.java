package io.multiraft.sim;

import java.util.PriorityQueue;

/** Virtual time and the events scheduled on it, ordered by (time, sequence): one thread, no clock. */
public final class EventLoop {
  private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private long now;
  private long seq;

  public EventLoop(long start) {
    this.now = start;
  }

  public long now() {
    return now;
  }

  public void at(long time, Runnable action) {
    queue.add(new Event(Math.max(time, now), seq++, action));
  }

  public void after(long delayNs, Runnable action) {
    at(now + delayNs, action);
  }

  /** Runs every event due at or before {@code time}, then sets the clock to {@code time}. */
  public void advanceTo(long time) {
    Event e;
    while ((e = queue.peek()) != null && e.at <= time) {
      queue.poll();
      now = e.at;
      e.action.run();
    }
    now = time;
  }
}
