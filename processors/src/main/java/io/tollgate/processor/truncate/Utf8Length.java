package io.tollgate.processor.truncate;

import com.google.protobuf.ByteString;
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

  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Length() {}

  /** Code points in {@code utf8}. */
  static int codePoints(ByteString utf8) {
    int n = utf8.size();
    // A view for a flat ByteString, no copy; a slice of a larger array starts at its position.
    ByteBuffer b = utf8.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int i = b.position();
    int end = i + n;
    int continuation = 0;
    // Eight bytes at a time: a continuation byte has bit 7 set and bit 6 clear; shifting left by
    // one moves each byte's bit 6 onto its bit 7 (bit 7 of a byte moves out of the mask).
    for (; i + 8 <= end; i += 8) {
      long x = b.getLong(i);
      continuation += Long.bitCount(x & ~(x << 1) & HIGH_BITS);
    }
    for (; i < end; i++) {
      if ((b.get(i) & 0xC0) == 0x80) {
        continuation++;
      }
    }
    return n - continuation;
  }

  /**
   * The index in {@code utf8} after its first {@code n} code points (its length when it has no
   * more): the index of the next lead byte.
   */
  static int offset(byte[] utf8, int n) {
    int k = 0;
    for (int i = 0; i < utf8.length; i++) {
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
