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
}
