package io.multiraft.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer for every build: Jazzer's regression mode only replays its seeds, so
 * this mutates the same seeds (bit flips, cuts, splices, random bytes, varint edge values) many
 * thousand times through the decoders. A failing case reproduces from the iteration number.
 */
class MutatedFramesTest {
  private static final String SEEDS = "FrameDecoderFuzzTestInputs/decodeArbitraryBytes/";
  private static final List<String> VALID = List.of("batch-mixed", "batch-one-heartbeat", "hello", "ping-pong", "ack",
      "snapshot-transfer");
  private static final List<String> BROKEN = List.of("oversized-length", "truncated-batch");

  private static byte[] seed(String name) throws IOException {
    try (InputStream in = MutatedFramesTest.class.getResourceAsStream(SEEDS + name)) {
      if (in == null) {
        throw new AssertionError("missing seed " + name);
      }
      return in.readAllBytes();
    }
  }

  @Test
  void validSeedsDecodeAndBrokenOnesAreRefused() throws IOException {
    Map<String, Integer> frames = new LinkedHashMap<>();
    for (String name : VALID) {
      frames.put(name, FrameFuzzing.exercise(seed(name)));
    }
    assertEquals(Map.of("batch-mixed", 1, "batch-one-heartbeat", 1, "hello", 1, "ping-pong", 2, "ack", 1,
        "snapshot-transfer", 3), frames);
    for (String name : BROKEN) {
      assertEquals(0, FrameFuzzing.exercise(seed(name)), name);
    }
  }

  @Test
  void mutatedFramesOnlyEverRaiseProtocolErrors() throws IOException {
    byte[][] seeds = new byte[VALID.size()][];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = seed(VALID.get(i));
    }
    SplittableRandom r = new SplittableRandom(2026);
    int decoded = 0;
    int iterations = 30_000;
    for (int i = 0; i < iterations; i++) {
      byte[] input = mutate(r, seeds[r.nextInt(seeds.length)], seeds[r.nextInt(seeds.length)]);
      try {
        decoded += FrameFuzzing.exercise(input);
      } catch (RuntimeException | Error e) {
        throw new AssertionError("iteration " + i + " input " + Arrays.toString(input), e);
      }
    }
    assertTrue(decoded > iterations / 10, "mutations kept enough frames valid to reach the decoders: " + decoded);
  }

  private static byte[] mutate(SplittableRandom r, byte[] a, byte[] b) {
    byte[] out = a.clone();
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits && out.length > 0; e++) {
      int at = r.nextInt(out.length);
      switch (r.nextInt(6)) {
        case 0 -> out[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> out[at] = (byte) r.nextInt(256);
        case 2 -> out = Arrays.copyOf(out, at); // cut
        case 3 -> { // splice the tail of another seed
          int from = r.nextInt(b.length);
          byte[] s = Arrays.copyOf(out, at + b.length - from);
          System.arraycopy(b, from, s, at, b.length - from);
          out = s;
        }
        case 4 -> { // a varint edge value: 0x80.. continuation bytes or 0xFF
          out[at] = (byte) (r.nextBoolean() ? 0x80 : 0xFF);
        }
        default -> { // insert random bytes
          byte[] ins = new byte[1 + r.nextInt(8)];
          r.nextBytes(ins);
          byte[] s = new byte[out.length + ins.length];
          System.arraycopy(out, 0, s, 0, at);
          System.arraycopy(ins, 0, s, at, ins.length);
          System.arraycopy(out, at, s, at + ins.length, out.length - at);
          out = s;
        }
      }
    }
    return out;
  }
}
