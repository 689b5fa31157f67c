package io.tollgate.processor.truncate;

import com.google.protobuf.ByteString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Code point counts read from UTF-8, so that a value which fits its limit is never turned into a
 * {@code String}: a decoded string value is UTF-8 bytes until someone asks for its characters, and
 * a {@code String} made only to be measured would have to be encoded again on export.
 *
 * <p>Every byte that is not a continuation byte ({@code 10xxxxxx}) starts a code point. Exact for
 * valid UTF-8, which is all a string value can hold (the receiver checks it; a value set as a
 * {@code String} is encoded by protobuf, a lone surrogate as {@code ?}). A code point beyond the
 * BMP is one here, as it is one for {@link String#codePointCount} (a surrogate pair).
 */
final class Utf8Length {

  static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;

  // Eight bytes of an array as one long. The tests below look at each byte on its own; little
  // endian puts the first byte lowest, which is where JsonEscapes.bytesToEscape's exact flag is.
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Utf8Length() {}

  /** Code points in {@code utf8}. */
  static int codePoints(ByteString utf8) {
    int n = utf8.size();
    // A view for a flat ByteString, no copy; a slice of a larger array starts at its position.
    ByteBuffer b = utf8.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int i = b.position();
    int end = i + n;
    int continuation = 0;
    // Eight bytes at a time.
    for (; i + 8 <= end; i += 8) {
      continuation += continuationBytes(b.getLong(i));
    }
    for (; i < end; i++) {
      if ((b.get(i) & 0xC0) == 0x80) {
        continuation++;
      }
    }
    return n - continuation;
  }

  /** Code points in {@code utf8}. */
  static int codePoints(byte[] utf8) {
    int n = utf8.length;
    int continuation = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      continuation += continuationBytes(word(utf8, i));
    }
    for (; i < n; i++) {
      if ((utf8[i] & 0xC0) == 0x80) {
        continuation++;
      }
    }
    return n - continuation;
  }

  /** The eight bytes of {@code utf8} from {@code i}. */
  static long word(byte[] utf8, int i) {
    return (long) LONGS.get(utf8, i);
  }

  /**
   * Continuation bytes among the eight in {@code x}: bit 7 set and bit 6 clear. Shifting left by
   * one moves each byte's bit 6 onto its bit 7 (a byte's bit 7 moves out of the mask).
   */
  static int continuationBytes(long x) {
    return Long.bitCount(x & ~(x << 1) & HIGH_BITS);
  }

  /** Whether one of the eight bytes in {@code x} is {@code b} (ASCII). */
  static boolean hasByte(long x, char b) {
    long y = x ^ (ONES * b);
    return ((y - ONES) & ~y & HIGH_BITS) != 0; // exact for "any"; which one may be blurred
  }

  /**
   * The index in {@code utf8} after its first {@code n} code points (its length when it has no
   * more): the index of the next lead byte.
   */
  static int offset(byte[] utf8, int n) {
    int k = 0;
    int i = 0;
    // Whole words while the code points they start are not more than those left to pass.
    for (; i + 8 <= utf8.length; i += 8) {
      int leads = 8 - continuationBytes(word(utf8, i));
      if (k + leads > n) {
        break;
      }
      k += leads;
    }
    for (; i < utf8.length; i++) {
      if ((utf8[i] & 0xC0) != 0x80) {
        if (k == n) {
          return i;
        }
        k++;
      }
    }
    return utf8.length;
  }
}
