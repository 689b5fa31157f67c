package io.tollgate.core.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation, as protobuf-java applies it to proto3 {@code string} fields: no overlong
 * forms, no surrogates (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequence.
 *
 * <p>Prompts are mostly ASCII with a few multi-byte characters, so ASCII is skipped sixteen bytes
 * at a time (two little-endian words), then eight; a word with a non-ASCII byte jumps straight to
 * it, and the byte-wise decoder only runs on the non-ASCII characters themselves. The skips are
 * tight loops of their own (not branches of one loop over characters) so that the JIT compiles
 * them as such; every word read lies within {@code [from, to)}.
 */
final class Utf8Check {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Check() {}

  /** Whether {@code b[from, to)} is well-formed UTF-8. */
  static boolean isValid(byte[] b, int from, int to) {
    int i = from;
    int lastWord = to - 8; // the last index a word may be read at
    while (true) {
      while (i <= lastWord - 8) {
        long pair = (long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8);
        if ((pair & HIGH_BITS) != 0) {
          break;
        }
        i += 16;
      }
      while (i <= lastWord) {
        long high = (long) LONGS.get(b, i) & HIGH_BITS;
        if (high != 0) {
          // Little-endian: the lowest set bit belongs to the first non-ASCII byte.
          i += Long.numberOfTrailingZeros(high) >>> 3;
          break;
        }
        i += 8;
      }
      // Fewer than eight bytes left, or at a non-ASCII byte.
      while (i < to && b[i] >= 0) {
        i++;
      }
      if (i >= to) {
        return true;
      }
      int c = b[i] & 0xff;
      if (c < 0xe0) {
        // A continuation byte first, or an overlong 2-byte form (C0, C1).
        if (c < 0xc2 || to - i < 2 || !isContinuation(b[i + 1])) {
          return false;
        }
        i += 2;
      } else if (c < 0xf0) {
        if (to - i < 3) {
          return false;
        }
        int c1 = b[i + 1] & 0xff;
        if (!isContinuation(b[i + 1])
            || !isContinuation(b[i + 2])
            || (c == 0xe0 && c1 < 0xa0) // overlong
            || (c == 0xed && c1 >= 0xa0)) { // a surrogate
          return false;
        }
        i += 3;
      } else {
        if (c >= 0xf5 || to - i < 4) {
          return false;
        }
        int c1 = b[i + 1] & 0xff;
        if (!isContinuation(b[i + 1])
            || !isContinuation(b[i + 2])
            || !isContinuation(b[i + 3])
            || (c == 0xf0 && c1 < 0x90) // overlong
            || (c == 0xf4 && c1 >= 0x90)) { // above U+10FFFF
          return false;
        }
        i += 4;
      }
    }
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xc0) == 0x80;
  }
}
