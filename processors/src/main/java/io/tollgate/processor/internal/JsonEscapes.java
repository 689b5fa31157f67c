package io.tollgate.processor.internal;

/**
 * The two-character JSON escapes ({@code \n}, {@code \"}, …), shared by the processors that read
 * JSON on its bytes ({@code genai_normalize}'s reader and writer, {@code redaction}'s leaf walker),
 * which each had a copy of this table.
 */
public final class JsonEscapes {

  private JsonEscapes() {}

  /**
   * The character that {@code \}{@code letter} stands for: one of {@code " \ / b f n r t}; -1 for
   * any other letter ({@code u}, whose four hex digits the caller reads, included).
   */
  public static int charOf(int letter) {
    switch (letter) {
      case '"':
      case '\\':
      case '/':
        return letter;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return -1;
    }
  }

  /**
   * The bytes of the little-endian word {@code x} that a JSON string writer escapes (a quote, a
   * backslash or an ASCII control character), flagged by their high bit; 0 when there is none. A
   * flag test can flag a byte wrongly only above (after) a byte it flags rightly, so the lowest
   * flag is exact: the first such byte is at {@code Long.numberOfTrailingZeros(flags) >>> 3}.
   */
  public static long bytesToEscape(long x) {
    long quote = x ^ (ONES * '"');
    long backslash = x ^ (ONES * '\\');
    long found =
        ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((x - ONES * 0x20) & ~x);
    return found & HIGH_BITS;
  }

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
}
