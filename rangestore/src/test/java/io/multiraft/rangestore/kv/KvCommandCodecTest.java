package io.multiraft.rangestore.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multiraft.rangestore.codec.MalformedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KvCommandCodecTest {
  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTripsEveryKind() {
    KvCommand.Put p = (KvCommand.Put) KvCommandCodec.decode(KvCommandCodec.encode(new KvCommand.Put(k("a"), k("1"))));
    assertArrayEquals(k("a"), p.key());
    assertArrayEquals(k("1"), p.value());
    KvCommand.Cas c = (KvCommand.Cas) KvCommandCodec.decode(KvCommandCodec.encode(new KvCommand.Cas(k("a"), null, k("2"))));
    assertNull(c.expected());
    assertArrayEquals(k("2"), c.newValue());
    KvCommand.Batch b = (KvCommand.Batch) KvCommandCodec.decode(KvCommandCodec.encode(
        new KvCommand.Batch(List.of(new KvCommand.Op(k("x"), k("1")), new KvCommand.Op(k("y"), null)))));
    assertEquals(2, b.ops().size());
    assertNull(b.ops().get(1).value());
    KvCommand.Split s = (KvCommand.Split) KvCommandCodec.decode(KvCommandCodec.encode(new KvCommand.Split(k("m"), 42, 3)));
    assertEquals(42, s.rightId());
    assertEquals(3, s.expectedGeneration());
    KvCommand.Delete d = (KvCommand.Delete) KvCommandCodec.decode(KvCommandCodec.encode(new KvCommand.Delete(new byte[0])));
    assertEquals(0, d.key().length);
  }

  @Test
  void refusesEveryDamagedOrTruncatedForm() {
    byte[] bytes = KvCommandCodec.encode(new KvCommand.Batch(List.of(new KvCommand.Op(k("x"), k("1")))));
    for (int i = 0; i < bytes.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = bytes.clone();
        bad[i] ^= (byte) (1 << bit);
        assertThrows(MalformedException.class, () -> KvCommandCodec.decode(bad));
      }
    }
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThrows(MalformedException.class, () -> KvCommandCodec.decode(cut));
    }
  }

  @Test
  void randomBytesNeverDecodeToACommandOrCrash() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[r.nextInt(64)];
      r.nextBytes(junk);
      assertThrows(MalformedException.class, () -> KvCommandCodec.decode(junk));
    }
  }
}
