package io.tollgate.processor.redaction.internal;

/**
 * Presidio counts offsets in Python {@code str} indices, which are Unicode code points; Java
 * strings index UTF-16 units. They differ after every character outside the Basic Multilingual
 * Plane (emoji, some CJK), and a wrong offset redacts the wrong characters and leaves the entity.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class CodePoints {

  private final String text;
  private final boolean identity;
  private final int codePoints;
  // Cursor for increasing lookups: UTF-16 index of code point cpCursor.
  private int cpCursor;
  private int utf16Cursor;

  public CodePoints(String text) {
    this.text = text;
    this.identity = !hasSurrogates(text);
    this.codePoints = identity ? text.length() : text.codePointCount(0, text.length());
  }

  static boolean hasSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Number of code points, Python's {@code len(text)}. */
  public int length() {
    return codePoints;
  }

  /** The UTF-16 index of code point {@code cp} (0 ≤ cp ≤ length()). */
  public int toUtf16(int cp) {
    if (cp < 0 || cp > codePoints) {
      throw new IndexOutOfBoundsException("code point offset " + cp + " of " + codePoints);
    }
    if (identity) {
      return cp;
    }
    if (cp < cpCursor) {
      cpCursor = 0;
      utf16Cursor = 0;
    }
    utf16Cursor = text.offsetByCodePoints(utf16Cursor, cp - cpCursor);
    cpCursor = cp;
    return utf16Cursor;
  }
}
