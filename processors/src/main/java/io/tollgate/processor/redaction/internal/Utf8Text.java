package io.tollgate.processor.redaction.internal;

import com.google.protobuf.ByteString;
import io.tollgate.core.model.ByteSlice;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A string value's UTF-8 bytes decoded into a reused per-thread {@code char[]}: the characters that
 * {@link ByteString#toStringUtf8()} (and so {@code AnyValue.getStringValue()}) would give, without
 * making a String of them or caching one in the message.
 *
 * <p>Why: decoded attribute values stay UTF-8 until someone needs characters, and a value that
 * holds nothing to redact never needs them as a String; the scanner reads them from this buffer.
 * Only well-formed UTF-8 is decoded; {@link #decode} says false for anything else (the caller then
 * takes {@link ByteString#toStringUtf8()}, whose replacement characters are the reference).
 *
 * <p>One instance per thread ({@link #get()}); not thread-safe. The characters are valid until the
 * next {@link #decode} on the thread.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class Utf8Text {

  /** Scratch arrays longer than this are not kept for the next value on the thread. */
  private static final int MAX_KEPT = 1 << 17;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final ThreadLocal<Utf8Text> TEXTS = ThreadLocal.withInitial(Utf8Text::new);

  public static Utf8Text get() {
    return TEXTS.get();
  }

  private char[] chars = new char[1024];
  private byte[] copy = new byte[0];
  private int length;
  // The bytes of the last load(): the value's own array, or copy.
  private byte[] array;
  private int offset;
  private int size;
  private final ByteSlice slice = new ByteSlice();

  private Utf8Text() {}

  /** The decoded characters, {@code [0, length())}. */
  public char[] chars() {
    return chars;
  }

  public int length() {
    return length;
  }

  /** A String of the decoded characters: equal to {@code utf8.toStringUtf8()}. */
  public String string() {
    return new String(chars, 0, length);
  }

  /**
   * Decodes {@code utf8} into {@link #chars()}; false when it is not well-formed UTF-8 (then the
   * characters are undefined).
   */
  public boolean decode(ByteString utf8) {
    load(utf8);
    return decodeLoaded();
  }

  /**
   * Makes {@code utf8}'s bytes readable as {@code bytes()[offset(), offset() + size())} without
   * decoding them: the array behind it when it is one, else a copy in a scratch array. They stay
   * readable until {@link #decodeLoaded} or {@link #release} (which drop the reference).
   */
  public void load(ByteString utf8) {
    size = utf8.size();
    if (slice.of(utf8)) {
      array = slice.array();
      offset = slice.offset();
      slice.clear();
    } else {
      // Not one array (a rope, a direct buffer): copy the bytes once.
      if (copy.length < size || (copy.length > MAX_KEPT && size <= MAX_KEPT)) {
        copy = new byte[Math.max(size, Math.min(2 * copy.length, MAX_KEPT))];
      }
      utf8.copyTo(copy, 0);
      array = copy;
      offset = 0;
    }
  }

  public byte[] bytes() {
    return array;
  }

  public int offset() {
    return offset;
  }

  public int size() {
    return size;
  }

  /** Forgets the loaded bytes (so that the array behind a value is not kept by the thread). */
  public void release() {
    array = null;
  }

  /**
   * Decodes the bytes of the last {@link #load} into {@link #chars()}; false when they are not
   * well-formed UTF-8 (then the characters are undefined).
   */
  public boolean decodeLoaded() {
    // A character per byte at most: a 4-byte sequence is two chars.
    if (size > chars.length || (chars.length > MAX_KEPT && size <= MAX_KEPT)) {
      // Grows by doubling up to MAX_KEPT; a larger array serves one value and is dropped after.
      chars = new char[Math.max(size, Math.min(2 * chars.length, MAX_KEPT))];
    }
    length = decode(array, offset, size, chars);
    array = null;
    return length >= 0;
  }

  /**
   * Decodes well-formed UTF-8 {@code b[offset, offset + size)} into {@code out} (at least {@code
   * size} long); returns the number of chars, or -1 for a malformed, overlong or surrogate sequence
   * or a code point above U+10FFFF.
   */
  static int decode(byte[] b, int offset, int size, char[] out) {
    return decode(b, offset, size, out, 0);
  }

  /**
   * {@link #decode(byte[], int, int, char[])} into {@code out} from {@code at}; returns the number
   * of chars written, or -1.
   */
  static int decode(byte[] b, int offset, int size, char[] out, int at) {
    int i = offset;
    int end = offset + size;
    int j = at;
    while (i < end) {
      // Text is mostly ASCII: find the run, eight bytes per test, then widen it in a plain loop
      // (about three times faster here than a branch per byte, and faster than toStringUtf8()).
      int r = i;
      while (r + 8 <= end && ((long) LONGS.get(b, r) & 0x8080808080808080L) == 0) {
        r += 8;
      }
      while (r < end && b[r] >= 0) {
        r++;
      }
      int shift = j - i;
      for (int k = i; k < r; k++) {
        out[k + shift] = (char) b[k];
      }
      j += r - i;
      i = r;
      if (i == end) {
        break;
      }
      int c = b[i];
      if ((c & 0xE0) == 0xC0) {
        if (i + 1 >= end || (c & 0x1E) == 0) {
          return -1; // truncated, or C0/C1 (overlong)
        }
        int c1 = b[i + 1];
        if ((c1 & 0xC0) != 0x80) {
          return -1;
        }
        out[j++] = (char) (((c & 0x1F) << 6) | (c1 & 0x3F));
        i += 2;
      } else if ((c & 0xF0) == 0xE0) {
        if (i + 2 >= end) {
          return -1;
        }
        int c1 = b[i + 1];
        int c2 = b[i + 2];
        if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) {
          return -1;
        }
        int cp = ((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return -1;
        }
        out[j++] = (char) cp;
        i += 3;
      } else if ((c & 0xF8) == 0xF0) {
        if (i + 3 >= end) {
          return -1;
        }
        int c1 = b[i + 1];
        int c2 = b[i + 2];
        int c3 = b[i + 3];
        if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80 || (c3 & 0xC0) != 0x80) {
          return -1;
        }
        int cp = ((c & 0x07) << 18) | ((c1 & 0x3F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F);
        if (cp < 0x10000 || cp > 0x10FFFF) {
          return -1;
        }
        out[j++] = Character.highSurrogate(cp);
        out[j++] = Character.lowSurrogate(cp);
        i += 4;
      } else {
        return -1;
      }
    }
    return j - at;
  }
}
