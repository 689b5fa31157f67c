package io.tollgate.core.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation, as protobuf-java applies it to proto3 {@code string} fields: no overlong
 * forms, no surrogates (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequence.
 *
 * <p>Prompts are mostly ASCII with a few multi-byte characters, so ASCII is checked eight bytes at
 * a time; a word with a non-ASCII byte jumps straight to it, and the byte-wise decoder only runs on
 * the non-ASCII characters themselves.
 */
final class Utf8Check {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Check() {}

  /** Whether {@code b[from, to)} is well-formed UTF-8. */
  static boolean isValid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (to - i >= 8) {
        long high = (long) LONGS.get(b, i) & HIGH_BITS;
        if (high == 0) {
          i += 8;
          continue;
        }
        // Little-endian: the lowest set bit belongs to the first non-ASCII byte.
        i += Long.numberOfTrailingZeros(high) >>> 3;
      } else if (b[i] >= 0) {
        i++;
        continue;
      }
      int c = b[i] & 0xff;
      if (c < 0xc2) {
        return false; // a continuation byte first, or an overlong 2-byte form (C0, C1)
      }
      if (c < 0xe0) {
        if (to - i < 2 || !isContinuation(b[i + 1])) {
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
      } else if (c < 0xf5) {
        if (to - i < 4) {
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
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xc0) == 0x80;
  }
}
