package io.multiraft.sim.lin;

import java.util.Objects;

/** A single key of a key-value store, supporting READ, WRITE and CAS; the key starts absent. */
public final class RegisterModel implements Model<RegisterState> {

  @Override
  public RegisterState init() {
    return RegisterState.ABSENT;
  }

  @Override
  public RegisterState step(RegisterState state, Operation op) {
    return switch (op.kind()) {
      case READ -> op.unknown() || Objects.equals(op.output(), state.value()) ? state : null;
      case WRITE -> RegisterState.of(op.input());
      case CAS -> cas(state, op);
    };
  }

  private static RegisterState cas(RegisterState state, Operation op) {
    boolean matches = Objects.equals(op.expected(), state.value());
    if (op.unknown()) {
      // whether it swapped is decided by the state it met, which is exactly what we are searching for
      return matches ? RegisterState.of(op.input()) : state;
    }
    if (op.succeeded()) {
      return matches ? RegisterState.of(op.input()) : null;
    }
    return matches ? null : state;
  }
}
