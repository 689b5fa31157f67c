package io.tollgate.processor.redaction.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The byte pre-filter as it was before its SWAR skim (main at {@code 09914ac}): one word at a time,
 * a class switch per word start. Kept unchanged as the oracle for {@code
 * BytePrefilterEquivalenceTest}, which holds the new walk to the same answer, position for
 * position, on generated inputs.
 */
final class BytePrefilterReference {

  private BytePrefilterReference() {}

  private static final byte OTHER = 0;
  private static final byte LETTER = 1;
  private static final byte DIGIT = 2;
  private static final byte AT = 3;
  private static final byte COLON = 4;
  private static final byte EQUALS = 5;
  private static final byte DASH = 6;
  private static final byte PLUS_OR_PAREN = 7;
  private static final byte BACKSLASH = 8;
  private static final byte DOT = 9;
  private static final byte[] CLASS = new byte[128];

  /** ASCII letters, digits and underscore: the ASCII word characters. */
  private static final boolean[] WORD = new boolean[128];

  private static final boolean[] HEX = new boolean[128];

  /**
   * The first two characters ({@code first << 7 | second}) of a word at which a vendor prefix,
   * {@code eyJ}, {@code Bearer}/{@code Basic} in any case, or an IBAN may start.
   */
  private static final boolean[] PAIRS = new boolean[128 * 128];

  /** Vendor prefixes by their first character. */
  private static final String[][] PREFIXES = new String[128][];

  private static final byte[] PEM =
      "-----BEGIN ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The longest stretch of a number run looked at; longer ones go to the char path. */
  private static final int MAX_NUMBER_RUN = 640;

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      CLASS[c] = LETTER;
      CLASS[Character.toUpperCase(c)] = LETTER;
    }
    for (char c = '0'; c <= '9'; c++) {
      CLASS[c] = DIGIT;
    }
    CLASS['@'] = AT;
    CLASS[':'] = COLON;
    CLASS['='] = EQUALS;
    CLASS['-'] = DASH;
    CLASS['+'] = PLUS_OR_PAREN;
    CLASS['('] = PLUS_OR_PAREN;
    CLASS['\\'] = BACKSLASH;
    CLASS['.'] = DOT;
    for (int c = 0; c < 128; c++) {
      WORD[c] = CLASS[c] == LETTER || CLASS[c] == DIGIT || c == '_';
      HEX[c] = BuiltinScanner.isHex((char) c);
    }
    java.util.List<String> prefixes = BuiltinScanner.tokenPrefixes();
    for (int c = 0; c < 128; c++) {
      final int first = c;
      String[] these = prefixes.stream().filter(p -> p.charAt(0) == first).toArray(String[]::new);
      PREFIXES[c] = these.length == 0 ? null : these;
    }
    for (String p : prefixes) {
      PAIRS[p.charAt(0) << 7 | p.charAt(1)] = true;
    }
    PAIRS['e' << 7 | 'y'] = true;
    for (char first : new char[] {'B', 'b'}) {
      for (char second : new char[] {'E', 'e', 'A', 'a'}) {
        PAIRS[first << 7 | second] = true;
      }
    }
    for (char c0 = 'A'; c0 <= 'Z'; c0++) {
      for (char c1 = 'A'; c1 <= 'Z'; c1++) {
        PAIRS[c0 << 7 | c1] = true;
      }
    }
  }

  /**
   * False when no built-in recogniser can find anything in {@code b[from, to)}, as plain text or
   * as the string leaves of a JSON document (not counting a secret context key, which the caller
   * checks); true when the char path must decide, also for bytes that are not well-formed UTF-8.
   *
   * <p>Steps a word at a time, as {@code Scan.loop} does: a word is looked at only where it
   * starts, its end found eight bytes per step, and a space after it skipped.
   */
  static boolean mayFind(byte[] b, int from, int to) {
    return firstTrigger(b, from, to) >= 0;
  }

  /**
   * Where {@link #mayFind} says true: the first position at which a test above passes (or a byte
   * that is not well-formed UTF-8 starts), or -1 when none does.
   *
   * <p>Every test at a position looks back no further than {@code from} and ahead no further than
   * {@code to}, and the fewer bytes it may look at, the fewer it passes. So for any part {@code
   * b[f, t)} of the text that ends at or before that position, {@code mayFind(b, f, t)} is false:
   * in the part, the loop starts at a word start, as it does after a non-word byte in the whole
   * (a JSON leaf's opening quote), and visits no position the whole walk did not visit (the walk
   * over the whole may step byte by byte where the part's walk skips a word, never the reverse),
   * and each test there sees no more bytes than it did in the whole. {@code Utf8JsonTest} checks
   * that for the leaves of generated documents.
   */
  static int firstTrigger(byte[] b, int from, int to) {
    return firstTrigger(b, from, to, from);
  }

  /**
   * {@link #firstTrigger(byte[], int, int)} of {@code b[from, to)} when no test passes before
   * {@code start} (an ASCII byte, or {@code to}): the walk starts there. It then visits every
   * position from {@code start} on that the walk from {@code from} visits (inside a word it
   * goes to the word's end, as that walk does from the word's start), so it finds the same first
   * position, or an earlier one, which is as good for every caller.
   */
  static int firstTrigger(byte[] b, int from, int to, int start) {
    int i = start;
    // Whether b[i - 1] is known to be an ASCII non-word byte: then a word starts at i.
    boolean boundary = start == from;
    // Up to here a word may start inside a word: the five bytes after a backslash (wordStart).
    int stepUntil = -1;
    while (i < to) {
      int c = b[i];
      if (c < 0) {
        int len = sequenceLength(b, i, to);
        if (len < 0) {
          return i;
        }
        i += len;
        boundary = false;
        continue;
      }
      byte cls = CLASS[c];
      if (cls == LETTER || cls == DIGIT) {
        if ((boundary || wordStart(b, from, i))
            && (cls == LETTER ? wordMayFind(b, i, to) : numberRunMayFind(b, i, to))) {
          return i;
        }
        if (i > from && b[i - 1] == '\\') {
          stepUntil = i + 6;
        }
        if (i < stepUntil) {
          i++;
          boundary = false;
          continue;
        }
        int j = wordEnd(b, i + 1, to);
        if (j + 1 < to && b[j] == ' ') {
          i = j + 1; // a space starts nothing, and a word may start after it
          boundary = true;
        } else {
          i = j;
          boundary = false;
        }
        continue;
      }
      if (cls != OTHER && mayFindAt(b, from, to, i)) {
        return i;
      }
      boundary = !WORD[c];
      i++;
    }
    return -1;
  }

  /**
   * The first byte from {@code j} that is not an ASCII word character: eight at a time, so that a
   * word of up to eight characters costs one step and no mispredicted loop exit.
   */
  private static int wordEnd(byte[] b, int j, int to) {
    while (j + 8 <= to) {
      long v = (long) LONGS.get(b, j);
      long low = v & LOW7;
      long lower = (low + AT_LEAST_LOWER_A) & ~(low + ABOVE_LOWER_Z);
      long upper = (low + AT_LEAST_UPPER_A) & ~(low + ABOVE_UPPER_Z);
      long digit = (low + AT_LEAST_ZERO) & ~(low + ABOVE_NINE);
      long word = (lower | upper | digit | eq(low, UNDERSCORES)) & ~v & HIGH;
      long stop = ~word & HIGH;
      if (stop != 0) {
        return j + (Long.numberOfTrailingZeros(stop) >>> 3);
      }
      j += 8;
    }
    while (j < to) {
      int x = b[j];
      if (x < 0 || !WORD[x]) {
        break;
      }
      j++;
    }
    return j;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long HIGH = 0x8080808080808080L;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long UNDERSCORES = repeat('_');
  // Added to an ASCII byte, these set its high bit when it is at least 'a', 'z' + 1 and so on.
  private static final long AT_LEAST_LOWER_A = repeat(0x80 - 'a');
  private static final long ABOVE_LOWER_Z = repeat(0x80 - 'z' - 1);
  private static final long AT_LEAST_UPPER_A = repeat(0x80 - 'A');
  private static final long ABOVE_UPPER_Z = repeat(0x80 - 'Z' - 1);
  private static final long AT_LEAST_ZERO = repeat(0x80 - '0');
  private static final long ABOVE_NINE = repeat(0x80 - '9' - 1);

  private static long repeat(int c) {
    return 0x0101010101010101L * c;
  }

  /** The high bit of each byte of {@code v} (all ASCII) that equals the byte of {@code c}. */
  private static long eq(long v, long c) {
    long y = v ^ c;
    return ~(((y & LOW7) + LOW7) | y) & HIGH;
  }

  /** Whether a recogniser may find something at the ASCII byte {@code b[i]}. */
  private static boolean mayFindAt(byte[] b, int from, int to, int i) {
    int c = b[i];
    switch (CLASS[c]) {
      case LETTER:
        return wordStart(b, from, i) && wordMayFind(b, i, to);
      case DIGIT:
        return wordStart(b, from, i) && numberRunMayFind(b, i, to);
      case AT:
        return i + 1 < to && mayStartDomain(b[i + 1]);
      case COLON:
        if (i + 1 < to
            && (b[i + 1] == '/'
                || b[i + 1] == ':'
                || (b[i + 1] == '\\' && i + 2 < to && b[i + 2] == '/'))) {
          return true; // a URL (also as ":\/\/"), an IPv6 address
        }
        return hexAddressBefore(b, from, to, i) || secretKeyBefore(b, from, i);
      case EQUALS:
        return secretKeyBefore(b, from, i);
      case DASH:
        return startsWith(b, i, to, PEM) || hexAddressBefore(b, from, to, i);
      case DOT:
        return hexAddressBefore(b, from, to, i);
      case PLUS_OR_PAREN:
        return i + 1 < to && isDigit(b[i + 1]) && numberRunMayFind(b, i, to);
      case BACKSLASH:
        // \\u0000-\\u007F: an ASCII character in disguise ('@', a letter of a key...).
        return i + 4 < to
            && b[i + 1] == 'u'
            && b[i + 2] == '0'
            && b[i + 3] == '0'
            && b[i + 4] >= '0'
            && b[i + 4] <= '7';
      default:
        return false;
    }
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(int c) {
    return c >= 0 && HEX[c];
  }

  /**
   * Whether a word may start at {@code i} in the text or in a JSON leaf: the character before is
   * not a word character, or is the end of an escape (JSON's {@code \n}, {@code \b}, {@code
   * \\u2014}..., or one written out as text, which the char path also treats as a word's end).
   */
  static boolean wordStart(byte[] b, int from, int i) {
    if (i == from) {
      return true;
    }
    int p = b[i - 1];
    if (p >= 0) {
      if (!WORD[p]) {
        return true;
      }
      if (i - 2 >= from && b[i - 2] == '\\') {
        return true;
      }
      return i - 6 >= from
          && b[i - 6] == '\\'
          && b[i - 5] == 'u'
          && isHex(b[i - 4])
          && isHex(b[i - 3])
          && isHex(b[i - 2])
          && isHex(p);
    }
    // A non-ASCII character, well-formed (the loop has checked it): find its first byte.
    int k = i - 1;
    while (k > from && (b[k] & 0xC0) == 0x80) {
      k--;
    }
    int lead = b[k] & 0xFF;
    int cp;
    if (lead < 0xE0) {
      cp = ((lead & 0x1F) << 6) | (b[k + 1] & 0x3F);
    } else if (lead < 0xF0) {
      cp = ((lead & 0x0F) << 12) | ((b[k + 1] & 0x3F) << 6) | (b[k + 2] & 0x3F);
    } else {
      // Beyond the BMP: the char path sees a low surrogate, which is no letter or digit.
      return true;
    }
    return !BuiltinScanner.isWordChar((char) cp);
  }

  /**
   * The length of the well-formed UTF-8 sequence at {@code i} (its first byte is not ASCII), or -1
   * (the same rules as {@link Utf8Text#decode(byte[], int, int, char[])}).
   */
  static int sequenceLength(byte[] b, int i, int to) {
    int c = b[i];
    if ((c & 0xE0) == 0xC0) {
      if (i + 1 >= to || (c & 0x1E) == 0 || (b[i + 1] & 0xC0) != 0x80) {
        return -1;
      }
      return 2;
    }
    if ((c & 0xF0) == 0xE0) {
      if (i + 2 >= to || (b[i + 1] & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80) {
        return -1;
      }
      int cp = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
      return cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ? -1 : 3;
    }
    if ((c & 0xF8) == 0xF0) {
      if (i + 3 >= to
          || (b[i + 1] & 0xC0) != 0x80
          || (b[i + 2] & 0xC0) != 0x80
          || (b[i + 3] & 0xC0) != 0x80) {
        return -1;
      }
      int cp =
          ((c & 0x07) << 18)
              | ((b[i + 1] & 0x3F) << 12)
              | ((b[i + 2] & 0x3F) << 6)
              | (b[i + 3] & 0x3F);
      return cp < 0x10000 || cp > 0x10FFFF ? -1 : 4;
    }
    return -1;
  }

  /**
   * At a word starting with a letter at {@code i}: what {@code Scan.word} needs to find anything
   * but a MAC or IPv6 address (see {@link #hexAddressBefore}): its first two characters are a pair
   * in {@link #PAIRS}, then the prefix, {@code eyJ}, auth scheme or IBAN start itself.
   */
  private static boolean wordMayFind(byte[] b, int i, int to) {
    if (i + 1 >= to) {
      return false;
    }
    int c1 = b[i + 1];
    return c1 >= 0 && PAIRS[b[i] << 7 | c1] && wordMayFindAfterPair(b, i, to);
  }

  private static boolean wordMayFindAfterPair(byte[] b, int i, int to) {
    int c = b[i];
    String[] prefixes = PREFIXES[c];
    if (prefixes != null) {
      for (String p : prefixes) {
        if (startsWith(b, i, to, p)) {
          return true;
        }
      }
    }
    if (c == 'e' && startsWith(b, i, to, "eyJ")) {
      return true;
    }
    if ((c == 'B' || c == 'b') && authScheme(b, i, to)) {
      return true;
    }
    return c >= 'A'
        && c <= 'Z'
        && i + 3 < to
        && b[i + 1] >= 'A'
        && b[i + 1] <= 'Z'
        && isDigit(b[i + 2])
        && isDigit(b[i + 3]); // IBAN
  }

  /**
   * "Bearer" or "Basic", any case, then 1 to 4 blanks (a tab may be written as {@code \t}) and a
   * credential of 16 (Bearer) or 8 (Basic) characters or more.
   */
  private static boolean authScheme(byte[] b, int i, int to) {
    int p;
    int min;
    if (startsWithIgnoreCase(b, i, to, "bearer")) {
      p = i + 6;
      min = 16;
    } else if (startsWithIgnoreCase(b, i, to, "basic")) {
      p = i + 5;
      min = 8;
    } else {
      return false;
    }
    int blanks = 0;
    while (p < to && blanks < 4) {
      if (b[p] == ' ' || b[p] == '\t') {
        p++;
      } else if (b[p] == '\\' && p + 1 < to && b[p + 1] == 't') {
        p += 2;
      } else {
        break;
      }
      blanks++;
    }
    if (blanks == 0) {
      return false;
    }
    // The credential's characters, Bearer's and Basic's together ('\\' for an escaped '/').
    int t = p;
    while (p < to && p - t < min) {
      int c = b[p];
      if (c >= 0
          && (WORD[c]
              || c == '.'
              || c == '~'
              || c == '+'
              || c == '/'
              || c == '-'
              || c == '='
              || c == '\\')) {
        p++;
      } else {
        break;
      }
    }
    return p - t >= min;
  }

  /**
   * At the ':', '-' or '.' at {@code s}: whether a MAC or IPv6 address may start at a word start
   * before it. A MAC address starts with 2 hex digits and ':' or '-' before a hex digit, or 4 and
   * '.' before one (Cisco); an IPv6 address with 1 to 4 before ':', then a hex digit or another
   * ':'. The hex digits are a whole word, and {@code Scan.word} and {@code Scan.number} look for
   * them at its start; here they are looked for from the separator, which is rarer than a word
   * start and nearly never followed by a hex digit in prose.
   */
  private static boolean hexAddressBefore(byte[] b, int from, int to, int s) {
    if (s + 1 >= to) {
      return false;
    }
    int sep = b[s];
    int next = b[s + 1];
    if (!isHex(next) && !(sep == ':' && next == ':')) {
      return false;
    }
    for (int i = s - 1; i >= from && s - i <= 4 && isHex(b[i]); i--) {
      int len = s - i;
      if ((sep == ':' || len == (sep == '-' ? 2 : 4)) && wordStart(b, from, i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Digits from {@code i} over the characters a number run may hold (digits, separators,
   * parentheses; '\' for an escaped '/'): a phone number needs 8 digits, an SSN 9, a card 12, an
   * IPv4 address 4 with three dots.
   */
  private static boolean numberRunMayFind(byte[] b, int i, int to) {
    int digits = 0;
    int dots = 0;
    int limit = Math.min(to, i + MAX_NUMBER_RUN);
    int k = i;
    for (; k < limit; k++) {
      int c = b[k];
      if (isDigit(c)) {
        if (++digits >= 8) {
          return true;
        }
      } else if (c == '.') {
        dots++;
      } else if (!(c == ' '
          || c == '-'
          || c == '/'
          || c == '('
          || c == ')'
          || c == '+'
          || c == '\\')) {
        break;
      }
    }
    return k == limit && limit < to || (digits >= 4 && dots >= 3);
  }

  /** An e-mail address needs a domain character right after its '@'. */
  private static boolean mayStartDomain(int c) {
    return c < 0 || c == '\\' || c == '.' || c == '-' || (c < 128 && (WORD[c] && c != '_'));
  }

  /**
   * Whether the text before the ':' or '=' at {@code i} ends with a secret's name, past blanks,
   * quotes and backslashes (as in {@code "api_key": "…"}, {@code password\":}, or a JSON field
   * name before its ':'). The walk back stops at the previous ':' or '=', so all walks together
   * read each byte at most once.
   */
  private static boolean secretKeyBefore(byte[] b, int from, int i) {
    int k = i - 1;
    while (k >= from) {
      int c = b[k];
      if (c == ' ' || c == '"' || c == '\'' || c == '\\' || c == '\t' || c == '\n' || c == '\r') {
        k--;
      } else {
        break;
      }
    }
    return k >= from && SecretKeys.mayEndWithKeyWord(b, from, k + 1);
  }

  private static boolean startsWith(byte[] b, int at, int to, byte[] prefix) {
    if (at + prefix.length > to) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (b[at + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] b, int at, int to, String prefix) {
    int len = prefix.length();
    if (at + len > to) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (b[at + k] != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** {@code lower} is lower-case ASCII. */
  private static boolean startsWithIgnoreCase(byte[] b, int at, int to, String lower) {
    int len = lower.length();
    if (at + len > to) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      int c = b[at + k];
      if (c >= 'A' && c <= 'Z') {
        c |= 0x20;
      }
      if (c != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
