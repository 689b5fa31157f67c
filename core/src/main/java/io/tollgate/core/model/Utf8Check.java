package io.tollgate.core.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation, as protobuf-java applies it to proto3 {@code string} fields: no overlong
 * forms, no surrogates (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequence.
 *
 * <p>Prompts are mostly ASCII with a multi-byte word every hundred bytes or so, and requests hold
 * many short strings (keys, names), so:
 *
 * <ul>
 *   <li>ASCII is tested 16 bytes per branch (two words OR-ed), and what is left of a range after
 *       its last 16-byte step, or a whole range shorter than 16 bytes, with at most two word loads
 *       (the last one ending at the range's end, overlapping bytes already known to be ASCII, or
 *       shifted so that bytes before the range do not count): no byte-at-a-time loop over the
 *       ASCII tail of every key and value.
 *   <li>A multi-byte character is checked with one table look-up (its length and the range its
 *       second byte must fall in, which is where overlong forms, surrogates and code points above
 *       U+10FFFF show) and one masked compare of its continuation bytes, read as one int; the
 *       characters of a non-ASCII word are checked one after the other before going back to the
 *       16-byte steps.
 * </ul>
 *
 * <p>Words are read little-endian, so the lowest set high bit belongs to the first non-ASCII byte.
 * Reads may touch bytes of the array outside the range (never outside the array); such bytes are
 * masked or known to be ASCII and never decide the answer.
 */
final class Utf8Check {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * Per lead byte: the sequence's length (bits 0–2; 0 for a byte that cannot start one: a
   * continuation byte, C0, C1, F5–FF), the lowest allowed second byte (bits 8–15) and the highest
   * (bits 16–23). The second byte's range is narrower than 80–BF after E0 (overlong), ED
   * (surrogates), F0 (overlong) and F4 (above U+10FFFF).
   */
  private static final int[] LEAD = new int[256];

  /** Per sequence length: the top two bits of its continuation bytes in an int read at the lead. */
  private static final int[] CONTINUATION_MASK = {0, 0, 0xc000, 0xc0c000, 0xc0c0c000};

  static {
    for (int c = 0xc2; c <= 0xdf; c++) {
      LEAD[c] = lead(2, 0x80, 0xbf);
    }
    for (int c = 0xe0; c <= 0xef; c++) {
      LEAD[c] = lead(3, 0x80, 0xbf);
    }
    LEAD[0xe0] = lead(3, 0xa0, 0xbf);
    LEAD[0xed] = lead(3, 0x80, 0x9f);
    for (int c = 0xf0; c <= 0xf4; c++) {
      LEAD[c] = lead(4, 0x80, 0xbf);
    }
    LEAD[0xf0] = lead(4, 0x90, 0xbf);
    LEAD[0xf4] = lead(4, 0x80, 0x8f);
  }

  private static int lead(int length, int lowestSecond, int highestSecond) {
    return length | lowestSecond << 8 | highestSecond << 16;
  }

  private Utf8Check() {}

  /** Whether {@code b[from, to)} is well-formed UTF-8. */
  static boolean isValid(byte[] b, int from, int to) {
    int i = from;
    while (true) {
      i = nextNonAscii(b, i, to);
      if (i >= to) {
        return true;
      }
      do {
        int info = LEAD[b[i] & 0xff];
        int length = info & 7;
        if (length == 0 || to - i < length) {
          return false; // cannot start a sequence, or cut short by the end of the range
        }
        if (b.length - i < 4) {
          return isValidBytewise(b, i, to); // the array ends too soon for an int read
        }
        int w = (int) INTS.get(b, i);
        int mask = CONTINUATION_MASK[length];
        int second = (w >>> 8) & 0xff;
        if ((w & mask) != (mask & 0x80808080)
            || second < ((info >>> 8) & 0xff)
            || second > (info >>> 16)) {
          return false;
        }
        i += length;
      } while (i < to && b[i] < 0);
    }
  }

  /** The first non-ASCII byte's index in {@code b[i, to)}, or {@code to} if there is none. */
  private static int nextNonAscii(byte[] b, int i, int to) {
    while (to - i >= 16) {
      long w0 = word(b, i);
      long w1 = word(b, i + 8);
      if (((w0 | w1) & HIGH_BITS) != 0) {
        long high = w0 & HIGH_BITS;
        return high != 0 ? i + firstByte(high) : i + 8 + firstByte(w1 & HIGH_BITS);
      }
      i += 16;
    }
    int left = to - i;
    if (left >= 8) {
      long high = word(b, i) & HIGH_BITS;
      if (high != 0) {
        return i + firstByte(high);
      }
      // The last 8 bytes; those before i + 8 were just found to be ASCII.
      high = word(b, to - 8) & HIGH_BITS;
      return high == 0 ? to : to - 8 + firstByte(high);
    }
    if (left <= 0) {
      return to;
    }
    if (to >= 8) {
      // The word ending at the range's end, its bytes before i shifted out (left is 1 to 7).
      long high = (word(b, to - 8) & HIGH_BITS) >>> ((8 - left) << 3);
      return high == 0 ? to : i + firstByte(high);
    }
    while (i < to && b[i] >= 0) {
      i++;
    }
    return i;
  }

  private static long word(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }

  /** The index, in a little-endian word, of the byte of the lowest bit set in {@code high}. */
  private static int firstByte(long high) {
    return Long.numberOfTrailingZeros(high) >>> 3;
  }

  /** One byte at a time: for the last bytes of an array, where a 4-byte read would run past it. */
  private static boolean isValidBytewise(byte[] b, int i, int to) {
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int info = LEAD[c];
      int length = info & 7;
      if (length == 0 || to - i < length) {
        return false;
      }
      int second = b[i + 1] & 0xff;
      if (second < ((info >>> 8) & 0xff) || second > (info >>> 16)) {
        return false;
      }
      for (int k = 2; k < length; k++) {
        if ((b[i + k] & 0xc0) != 0x80) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }
}
