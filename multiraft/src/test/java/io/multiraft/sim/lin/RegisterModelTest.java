package io.multiraft.sim.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The sequential specification of one key, operation by operation. */
class RegisterModelTest {

  private final RegisterModel model = new RegisterModel();
  private static final RegisterState ONE = RegisterState.of(1L);

  private static Operation read(Long value) {
    return new Operation(0, 0, "x", OpKind.READ, null, null, value, false, 0, 1, false);
  }

  private static Operation write(Long value) {
    return new Operation(0, 0, "x", OpKind.WRITE, value, null, null, false, 0, 1, false);
  }

  private static Operation cas(Long expected, Long value, boolean succeeded) {
    return new Operation(0, 0, "x", OpKind.CAS, value, expected, null, succeeded, 0, 1, false);
  }

  private static Operation unknown(OpKind kind, Long expected, Long value) {
    return new Operation(0, 0, "x", kind, value, expected, null, false, 0, Operation.NEVER, true);
  }

  @Test
  void keyStartsAbsent() {
    assertEquals(RegisterState.ABSENT, model.init());
    assertEquals(RegisterState.ABSENT, RegisterState.of(null));
  }

  @Test
  void readMustReturnTheCurrentValue() {
    assertEquals(ONE, model.step(ONE, read(1L)));
    assertNull(model.step(ONE, read(2L)));
    assertNull(model.step(ONE, read(null)));
    assertEquals(RegisterState.ABSENT, model.step(RegisterState.ABSENT, read(null)));
  }

  @Test
  void writeReplacesOrDeletes() {
    assertEquals(RegisterState.of(2L), model.step(ONE, write(2L)));
    assertEquals(RegisterState.ABSENT, model.step(ONE, write(null)));
  }

  @Test
  void casOutcomeMustMatchTheExpectation() {
    assertEquals(RegisterState.of(2L), model.step(ONE, cas(1L, 2L, true)));
    assertNull(model.step(ONE, cas(3L, 2L, true)));
    assertEquals(ONE, model.step(ONE, cas(3L, 2L, false)));
    assertNull(model.step(ONE, cas(1L, 2L, false)));
    assertEquals(ONE, model.step(RegisterState.ABSENT, cas(null, 1L, true)));
    assertNull(model.step(ONE, cas(null, 2L, true)));
  }

  @Test
  void unknownOutcomesAreAcceptedInEveryState() {
    assertEquals(ONE, model.step(ONE, unknown(OpKind.READ, null, null)));
    assertEquals(RegisterState.of(2L), model.step(ONE, unknown(OpKind.WRITE, null, 2L)));
    assertEquals(RegisterState.of(2L), model.step(ONE, unknown(OpKind.CAS, 1L, 2L)));
    assertEquals(ONE, model.step(ONE, unknown(OpKind.CAS, 3L, 2L)));
  }
}
