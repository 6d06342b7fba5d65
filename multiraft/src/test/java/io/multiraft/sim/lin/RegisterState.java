package io.multiraft.sim.lin;

/**
 * The value of one key. Wrapped rather than a bare {@code Long} because null already means
 * "impossible" in {@link Model#step}, while the register needs it for "absent".
 *
 * @param value the current value, or null if the key is absent
 */
public record RegisterState(Long value) {

  public static final RegisterState ABSENT = new RegisterState(null);

  public static RegisterState of(Long value) {
    return value == null ? ABSENT : new RegisterState(value);
  }

  @Override
  public String toString() {
    return Operation.show(value);
  }
}
