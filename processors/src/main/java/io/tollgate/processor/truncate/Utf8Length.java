package io.tollgate.processor.truncate;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;

/**
 * Code point counts read from UTF-8, so that a value which fits its limit is never turned into a
 * {@code String}: a decoded string value is UTF-8 bytes until someone asks for its characters, and
 * a {@code String} made only to be measured would have to be encoded again on export.
 */
final class Utf8Length {

  private Utf8Length() {}

  /**
   * Code points in {@code utf8}: every byte that is not a continuation byte ({@code 10xxxxxx})
   * starts one. Exact for valid UTF-8, which is all a string value can hold (the receiver checks
   * it; a value set as a {@code String} is encoded by protobuf, a lone surrogate as {@code ?}).
   */
  static int codePoints(ByteString utf8) {
    int n = utf8.size();
    // A view for a flat ByteString, no copy; a slice of a larger array starts at its position.
    ByteBuffer b = utf8.asReadOnlyByteBuffer();
    int from = b.position();
    int continuation = 0;
    for (int i = from, end = from + n; i < end; i++) {
      if ((b.get(i) & 0xC0) == 0x80) {
        continuation++;
      }
    }
    return n - continuation;
  }
}
