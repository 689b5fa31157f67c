package io.tollgate.processor.genainormalize;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte scans over UTF-8 JSON text, eight bytes at a time: message text is kilobytes, and the
 * answer is almost always "nothing there". Each word test is exact (SWAR "has a zero byte"): a
 * word that passes holds none of the bytes looked for.
 */
final class JsonBytes {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';
  private static final long SPACES = ONES * 0x20;

  private JsonBytes() {}

  /**
   * Whether a JSON string writer escapes any of these bytes: a control character (below 0x20), a
   * quote or a backslash. Bytes of multi-byte characters (0x80 and up) are written as they are.
   */
  static boolean needsEscape(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(b, i);
      // A byte below 0x20 (its high bit clear), a byte equal to '"', a byte equal to '\'.
      long below = (x - SPACES) & ~x;
      long quote = hasZero(x ^ QUOTES);
      long backslash = hasZero(x ^ BACKSLASHES);
      if (((below & HIGHS) | quote | backslash) != 0) {
        return true;
      }
    }
    for (; i < end; i++) {
      int c = b[i];
      if ((c >= 0 && c < 0x20) || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  /** Whether backslash, 'u', 'D' occurs in {@code b}. */
  static boolean containsBackslashUD(byte[] b) {
    int n = b.length;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long x = (long) LONGS.get(b, i);
      if (hasZero(x ^ BACKSLASHES) != 0) {
        for (int j = i; j < i + 8; j++) {
          if (b[j] == '\\' && j + 2 < n && b[j + 1] == 'u' && b[j + 2] == 'D') {
            return true;
          }
        }
      }
    }
    for (; i + 2 < n; i++) {
      if (b[i] == '\\' && b[i + 1] == 'u' && b[i + 2] == 'D') {
        return true;
      }
    }
    return false;
  }

  /** Non-zero when a byte of {@code v} is zero. */
  private static long hasZero(long v) {
    return (v - ONES) & ~v & HIGHS;
  }
}
