package io.multiraft.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
  @Test
  void readsWhatThePeerPrints() {
    Map<String, Object> m = FlatJson.parse(
        "{\"status\":\"ok\",\"groups\":100,\"p50_ms\":1.2500,\"x\":null,\"b\":true,\"e\":\"a \\\"q\\\"\\n\\u0041 b\"}");
    assertEquals("ok", m.get("status"));
    assertEquals(100L, m.get("groups"));
    assertEquals(1.25, m.get("p50_ms"));
    assertNull(m.get("x"));
    assertEquals(true, m.get("b"));
    assertEquals("a \"q\"\nA b", m.get("e"));
  }

  @Test
  void rejectsWhatItCannotRead() {
    assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":}"));
    assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":1"));
  }
}
