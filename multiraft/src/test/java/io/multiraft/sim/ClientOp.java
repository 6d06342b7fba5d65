package io.multiraft.sim;

/**
 * One client operation as the workload saw it. {@code unknown}: the outcome is not known (timeout,
 * the node crashed): the write may or may not have happened.
 */
final class ClientOp {
  enum Kind { READ, WRITE, CAS }

  final int client;
  final String key;
  final Kind kind;
  final long value;
  final Long expected;
  final long callNs;
  long returnNs = Long.MAX_VALUE;
  Object output;
  boolean unknown;
  boolean failed; // definitely had no effect: left out of the history
  String error;

  ClientOp(int client, String key, Kind kind, long value, Long expected, long callNs) {
    this.client = client;
    this.key = key;
    this.kind = kind;
    this.value = value;
    this.expected = expected;
    this.callNs = callNs;
  }

  @Override
  public String toString() {
    String in = switch (kind) {
      case READ -> "read";
      case WRITE -> "write " + value;
      case CAS -> "cas " + expected + "->" + value;
    };
    String out = unknown ? "? " + (error == null ? "" : error) : failed ? "failed " + (error == null ? "" : error) : String.valueOf(output);
    return "c" + client + " " + key + " " + in + " = " + out + " [" + callNs / 1_000_000 + "," + (returnNs == Long.MAX_VALUE ? "inf" : returnNs / 1_000_000) + "]ms";
  }
}
