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
 *       shifted so that bytes before the range do not count): no byte-at-a-time loop over the ASCII
 *       tail of every key and value.
 *   <li>A multi-byte character is checked after a branch on its lead byte's class, then its
 *       continuation bytes and the range of its second byte (where overlong forms, surrogates and
 *       code points above U+10FFFF show) from a table. The characters of a non-ASCII word are
 *       checked one after the other before going back to the 16-byte steps. A check without the
 *       branch (length, second-byte range and continuation mask all from tables, one int read) ran
 *       more instructions per character and was slower on the workload's prose: its loads form a
 *       chain per character, while a predicted branch lets the next ones start early.
 *   <li>Text in a two-byte script is checked eight bytes per step while the bytes are ASCII or
 *       whole two-byte characters ({@link Utf8Words#twoByteLeads}): Russian prose was checked at
 *       1.37 ns per byte, ten times English.
 * </ul>
 *
 * <p>Words are read little-endian, so the lowest set high bit belongs to the first non-ASCII byte.
 * Reads may touch bytes of the array outside the range (never outside the array); such bytes are
 * masked or known to be ASCII and never decide the answer.
 */
final class Utf8Check {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * Per lead byte of a 3- or 4-byte sequence: the lowest allowed second byte (bits 8–15) and the
   * highest (bits 16–23). The range is narrower than 80–BF after E0 (overlong), ED (surrogates), F0
   * (overlong) and F4 (above U+10FFFF).
   */
  private static final int[] LEAD = new int[256];

  static {
    for (int c = 0xe0; c <= 0xf4; c++) {
      LEAD[c] = secondByteRange(0x80, 0xbf);
    }
    LEAD[0xe0] = secondByteRange(0xa0, 0xbf);
    LEAD[0xed] = secondByteRange(0x80, 0x9f);
    LEAD[0xf0] = secondByteRange(0x90, 0xbf);
    LEAD[0xf4] = secondByteRange(0x80, 0x8f);
  }

  private static int secondByteRange(int lowest, int highest) {
    return lowest << 8 | highest << 16;
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
      // Text in a two-byte script (Cyrillic, Greek, Hebrew, Arabic): eight bytes at a time while
      // they hold only ASCII and whole two-byte characters. It stops at a character boundary.
      long carried = 0; // 0x80 when the last word checked ended with a two-byte lead
      while (to - i >= 8) {
        long leads = Utf8Words.twoByteLeads(word(b, i), carried);
        if (leads == Utf8Words.NOT_ASCII_OR_TWO_BYTE || (leads | carried) == 0) {
          break; // not two-byte text, or ASCII only, which the 16-byte steps check faster
        }
        carried = leads >>> 56;
        i += 8;
      }
      if (carried != 0) {
        i--; // back to that lead: its continuation byte is not checked yet
      }
      while (i < to && b[i] < 0) {
        int c = b[i] & 0xff;
        if (((c - 0xc2) & 0xff) < 0x1e) { // C2–DF: two bytes (C0 and C1 would be overlong)
          if (to - i < 2 || !isContinuation(b[i + 1])) {
            return false;
          }
          i += 2;
        } else if (((c - 0xe0) & 0xff) < 0x10) { // E0–EF: three bytes
          if (to - i < 3 || !isContinuation(b[i + 2]) || !inSecondByteRange(c, b[i + 1])) {
            return false;
          }
          i += 3;
        } else if (((c - 0xf0) & 0xff) < 0x05) { // F0–F4: four bytes
          if (to - i < 4
              || !isContinuation(b[i + 2])
              || !isContinuation(b[i + 3])
              || !inSecondByteRange(c, b[i + 1])) {
            return false;
          }
          i += 4;
        } else {
          return false; // a continuation byte first, C0, C1 or F5–FF
        }
      }
    }
  }

  /** The first non-ASCII byte's index in {@code b[i, to)}, or {@code to} if there is none. */
  private static int nextNonAscii(byte[] b, int i, int to) {
    while (to - i >= 16) {
      long w0 = word(b, i);
      long w1 = word(b, i + 8);
      if (((w0 | w1) & HIGH_BITS) != 0) {
        // The first word's first non-ASCII byte, or 8 + the second's, without a branch: the
        // count of trailing zeros is 64 for a word without one.
        int bit = Long.numberOfTrailingZeros(w0 & HIGH_BITS);
        bit += (bit >>> 6) * Long.numberOfTrailingZeros(w1 & HIGH_BITS);
        return i + (bit >>> 3);
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

  private static boolean isContinuation(byte b) {
    return (b & 0xc0) == 0x80;
  }

  private static boolean inSecondByteRange(int lead, byte second) {
    int info = LEAD[lead];
    int c = second & 0xff;
    return c >= ((info >>> 8) & 0xff) && c <= (info >>> 16);
  }
}
