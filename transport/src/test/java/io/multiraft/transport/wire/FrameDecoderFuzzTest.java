package io.multiraft.transport.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of the frame decoder. Under plain {@code mvn test} (regression mode) it runs the
 * seeds in {@code FrameDecoderFuzzTestInputs/} and returns; {@code JAZZER_FUZZ=1 mvn test
 * -Dtest=FrameDecoderFuzzTest} fuzzes for {@code maxDuration}.
 */
class FrameDecoderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decodeArbitraryBytes(byte[] input) {
    FrameFuzzing.exercise(input);
  }
}
