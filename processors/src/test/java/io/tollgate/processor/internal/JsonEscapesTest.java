package io.tollgate.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time test agrees with a byte-by-byte reading. */
class JsonEscapesTest {

  // Bytes around every boundary the tests draw: controls, quote, backslash, their neighbours,
  // ASCII, continuation and lead bytes.
  private static final int[] BYTES = {
    0x00, 0x01, 0x09, 0x0A, 0x1F, 0x20, 0x21, '"', 0x23, 0x5B, '\\', 0x5D, 'a', 0x7F, 0x80, 0x9F,
    0xA2, 0xBF, 0xC2, 0xDF, 0xE0, 0xE3, 0xEF, 0xF0, 0xF4, 0xFF
  };

  @Test
  void theLowestFlagOfBytesToEscapeIsTheFirstQuoteBackslashOrControlByte() {
    Random random = new Random(5);
    byte[] word = new byte[8];
    for (int round = 0; round < 200_000; round++) {
      // Mostly plain bytes, so that runs of every length and several stops per word occur.
      for (int k = 0; k < 8; k++) {
        word[k] = (byte) (random.nextInt(3) == 0 ? BYTES[random.nextInt(BYTES.length)] : 'a' + k);
      }
      int first = 8;
      for (int k = 7; k >= 0; k--) {
        int b = word[k] & 0xFF;
        if (b < 0x20 || b == '"' || b == '\\') {
          first = k;
        }
      }
      long stops =
          JsonEscapes.bytesToEscape(
              java.nio.ByteBuffer.wrap(word).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
      int found = stops == 0 ? 8 : Long.numberOfTrailingZeros(stops) >>> 3;
      assertThat(found).as("first stop in %s", Arrays.toString(word)).isEqualTo(first);
    }
  }
}
