package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.core.io.CharTypes;
import io.tollgate.processor.internal.JsonEscapes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte scans over UTF-8 JSON text, eight bytes at a time: message text is kilobytes, and the answer
 * is almost always "nothing there". Each word test is exact (SWAR "has a zero byte"): a word that
 * passes holds none of the bytes looked for.
 */
final class JsonBytes {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long BACKSLASHES = ONES * '\\';

  /**
   * Jackson's escapes for ASCII (0: none; above 0: backslash and that character; below 0:
   * backslash-u and four upper-case hex digits), the table its UTF-8 writer uses.
   */
  static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /**
   * Whether {@link #ESCAPES} escapes exactly the bytes {@link #needsEscape} looks for; if a Jackson
   * version ever escaped more, {@link #escape} is not used and Jackson escapes.
   */
  static final boolean ESCAPES_AS_SCANNED = escapesAsScanned();

  private JsonBytes() {}

  private static boolean escapesAsScanned() {
    for (int c = 0; c < 128; c++) {
      boolean scanned = c < 0x20 || c == '"' || c == '\\';
      if ((ESCAPES[c] != 0) != scanned) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes {@code b[off, off + len)} to {@code out} as the body of a JSON string (no quotes),
   * escaped as Jackson's UTF-8 writer escapes it; returns the length written. {@code out} holds at
   * least {@code 6 * len} bytes. Runs between escapes are copied whole.
   */
  static int escape(byte[] b, int off, int len, byte[] out) {
    return escape(b, off, len, out, 0);
  }

  /** {@link #escape(byte[], int, int, byte[])} into {@code out} from {@code outOff}. */
  static int escape(byte[] b, int off, int len, byte[] out, int outOff) {
    int o = outOff;
    int i = off;
    int end = off + len;
    while (true) {
      int j = nextEscape(b, i, end);
      System.arraycopy(b, i, out, o, j - i);
      o += j - i;
      if (j == end) {
        return o - outOff;
      }
      int c = b[j];
      o = escapeAscii(out, o, c, ESCAPES[c]);
      i = j + 1;
    }
  }

  /**
   * Where the JSON string body from {@code from} ends (the index of its closing quote), when every
   * escape in it is exactly what {@link #escape} writes for the character it stands for (so the
   * body is the escaped form of its text, byte for byte); -1 when one is not (e.g. {@code \/},
   * {@code \\u00e9}, {@code \\u000A} for {@code \n}, lower-case hex), on a raw control character,
   * or when there is no closing quote. {@code from} is in the body (its start, or any byte of it
   * before the first escape).
   */
  static int canonicalEnd(byte[] b, int from, int end) {
    int j = nextEscape(b, from, end);
    while (j < end) {
      int c = b[j];
      if (c == '"') {
        return j;
      }
      if (c != '\\') {
        return -1; // a raw control character: not JSON
      }
      int n = canonicalEscapeLength(b, j, end);
      if (n == 0) {
        return -1;
      }
      j = nextEscape(b, j + n, end);
    }
    return -1;
  }

  /**
   * The length of the escape at {@code b[j]} (a backslash) when it is the one {@link #escape}
   * writes for the character it stands for, else 0.
   */
  private static int canonicalEscapeLength(byte[] b, int j, int end) {
    if (j + 1 >= end) {
      return 0;
    }
    int e = b[j + 1];
    if (e == 'u') {
      if (j + 5 >= end || b[j + 2] != '0' || b[j + 3] != '0') {
        return 0;
      }
      int hi = upperHex(b[j + 4]);
      int lo = upperHex(b[j + 5]);
      if (hi < 0 || lo < 0) {
        return 0;
      }
      int u = hi << 4 | lo;
      return u < 0x80 && ESCAPES[u] < 0 ? 6 : 0; // escapeAscii: backslash, u00, upper-case hex
    }
    int c = JsonEscapes.charOf(e);
    if (c < 0) {
      return 0;
    }
    return ESCAPES[c] == e ? 2 : 0;
  }

  /** The value of an upper-case hex digit as {@link #escapeAscii} writes them, or -1. */
  private static int upperHex(int d) {
    if (d >= '0' && d <= '9') {
      return d - '0';
    }
    if (d >= 'A' && d <= 'F') {
      return d - 'A' + 10;
    }
    return -1;
  }

  /**
   * Decodes a body that {@link #canonicalEnd} accepted: {@code b[off, off + len)} to {@code out}
   * (at least {@code len} long); returns the length written.
   */
  static int unescapeCanonical(byte[] b, int off, int len, byte[] out) {
    int o = 0;
    int i = off;
    int end = off + len;
    while (i < end) {
      int j = nextEscape(b, i, end);
      System.arraycopy(b, i, out, o, j - i);
      o += j - i;
      if (j == end) {
        break;
      }
      int e = b[j + 1];
      if (e == 'u') {
        out[o++] = (byte) (upperHex(b[j + 4]) << 4 | upperHex(b[j + 5]));
        i = j + 6;
      } else {
        out[o++] = (byte) JsonEscapes.charOf(e); // canonicalEnd accepted it: one of the eight
        i = j + 2;
      }
    }
    return o;
  }

  /**
   * The index of the first byte from {@code i} that is escaped (a control character, a quote or a
   * backslash), or {@code end}.
   */
  static int nextEscape(byte[] b, int i, int end) {
    for (; i + 8 <= end; i += 8) {
      if (JsonEscapes.bytesToEscape((long) LONGS.get(b, i)) != 0) {
        break; // it is in these eight: found below
      }
    }
    for (; i < end; i++) {
      int c = b[i];
      if (c >= 0 && ESCAPES[c] != 0) {
        return i;
      }
    }
    return end;
  }

  /**
   * Whether a JSON string writer escapes any of these bytes: a control character (below 0x20), a
   * quote or a backslash. Bytes of multi-byte characters (0x80 and up) are written as they are.
   */
  static boolean needsEscape(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      if (JsonEscapes.bytesToEscape((long) LONGS.get(b, i)) != 0) {
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

  /**
   * Writes the escape of the ASCII char {@code c} at {@code out[o]}, where {@code e} is its entry
   * in {@link #ESCAPES} (not 0): backslash and {@code e}, or backslash-u and four hex digits.
   * Returns the position after it.
   */
  static int escapeAscii(byte[] out, int o, int c, int e) {
    out[o++] = '\\';
    if (e > 0) {
      out[o++] = (byte) e;
    } else {
      out[o++] = 'u';
      out[o++] = '0';
      out[o++] = '0';
      out[o++] = HEX[c >> 4];
      out[o++] = HEX[c & 0xF];
    }
    return o;
  }
}
