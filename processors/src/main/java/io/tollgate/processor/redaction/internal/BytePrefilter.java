package io.tollgate.processor.redaction.internal;

import io.tollgate.core.model.Utf8Words;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether the built-in recognisers may find anything in a value, decided from its UTF-8 bytes: a
 * value for which this says no is left as it came without being decoded into characters.
 *
 * <p>Why: most values hold nothing, and decoding one, walking its JSON and scanning its characters
 * cost more than one pass over its bytes. Every trigger of the recognisers is ASCII, and so is
 * (almost) everything each recogniser needs to see near its trigger, so the pass looks for those
 * necessary conditions and nothing more; when it finds one, the caller takes the char path, whose
 * findings are the only ones that count. This filter never finds anything itself.
 *
 * <p>It must only ever say "nothing" for a value in which {@link BuiltinScanner} finds nothing:
 * scanned as plain text, and scanned leaf by leaf as JSON, where a leaf's characters are its bytes
 * with JSON escapes decoded and its field name is a secret context. Hence, per trigger:
 *
 * <ul>
 *   <li>An escape {@code \\u0000}–{@code \\u007F} can write any ASCII character, trigger included:
 *       the char path decides. Other escapes give characters that trigger nothing ({@code \"},
 *       {@code \\}, {@code \/}, controls, non-ASCII); where one can end a word, the word-start test
 *       below accepts the position after it, and where a recogniser looks for {@code /}, {@code \}
 *       counts too.
 *   <li>Words and numbers (at a word start only, as in the char path): the start of a vendor
 *       prefix, {@code eyJ}, {@code Bearer}/{@code Basic} before a blank and a credential, two
 *       capitals and two digits (IBAN), or a digit run with 8 digits or more (phone, SSN, card)
 *       or 4 and three dots (IPv4). A MAC or IPv6 address is looked for from its first {@code
 *       :}, {@code -} or {@code .}: a word of 1 to 4 hex digits before it, a hex digit after.
 *   <li>{@code @} before a domain character; {@code ://}, {@code ::}; a secret's name before
 *       {@code :} or {@code =} (which also catches a JSON field name that names a secret); {@code
 *       -----BEGIN }.
 * </ul>
 *
 * <p>Each test is a superset of what the recogniser checks, over more positions than the char path
 * visits (it ignores the enabled set, skips and word ends). {@code BytePrefilterTest} holds it to
 * that against {@link BuiltinScanner} on generated texts, plain and as JSON.
 *
 * <p>This class is internal and is not intended for public use.
 */
final class BytePrefilter {

  private BytePrefilter() {}

  static final byte OTHER = 0;
  static final byte LETTER = 1;
  static final byte DIGIT = 2;
  private static final byte AT = 3;
  private static final byte COLON = 4;
  private static final byte EQUALS = 5;
  private static final byte DASH = 6;
  private static final byte PLUS_OR_PAREN = 7;
  private static final byte BACKSLASH = 8;
  private static final byte DOT = 9;
  static final byte[] CLASS = new byte[128];

  /** ASCII letters, digits and underscore: the ASCII word characters. */
  static final boolean[] WORD = new boolean[128];

  private static final boolean[] HEX = new boolean[128];

  /**
   * The first two characters ({@code first << 7 | second}) of a word at which a vendor prefix,
   * {@code eyJ}, {@code Bearer}/{@code Basic} in any case, or an IBAN may start.
   */
  private static final boolean[] PAIRS = new boolean[128 * 128];

  /**
   * For the skim ({@link #skim}), by a candidate's byte and the byte after it ({@code (c & 0xFF)
   * << 8 | (next & 0xFF)}): false where the test at the candidate surely fails, true where the
   * exact test must run or the walk leave the skim. A letter there starts a word: true for a pair
   * in {@link #PAIRS}; a digit starts a number run; any other byte is a non-word byte: true for
   * one of a special class (backslash included), an underscore and a non-ASCII byte.
   */
  private static final boolean[] TRIGGER = new boolean[256 * 256];

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
    for (int c = 0; c < 256; c++) {
      for (int next = 0; next < 256; next++) {
        boolean trigger;
        if (c >= 128 || c == '_') {
          trigger = true;
        } else {
          // What the test at c (mayFindAt, or a word start) reads of the next byte first.
          switch (CLASS[c]) {
            case LETTER:
              trigger = next < 128 && PAIRS[c << 7 | next];
              break;
            case OTHER:
              trigger = false;
              break;
            case AT:
              trigger = mayStartDomain((byte) next);
              break;
            case DOT:
              trigger = isHex((byte) next);
              break;
            case DASH:
              trigger = next == '-' || isHex((byte) next);
              break;
            case PLUS_OR_PAREN:
              trigger = isDigit(next);
              break;
            default: // digits, ':', '=' and '\\'
              trigger = true;
              break;
          }
        }
        TRIGGER[c << 8 | next] = trigger;
      }
    }
  }

  /**
   * False when no built-in recogniser can find anything in {@code b[from, to)}, as plain text or
   * as the string leaves of a JSON document (not counting a secret context key, which the caller
   * checks); true when the char path must decide, also for bytes that are not well-formed UTF-8.
   *
   * <p>Looks at a word only where it starts, as {@code Scan.loop} does. Text without escapes is
   * skimmed 32 bytes per step ({@link #skim}); the rest is walked a byte or a word at a time.
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
      if (c >= 0 && i >= stepUntil && i + SKIM_MARGIN <= to && !WORD[c] && c != '\\') {
        int r = skim(b, from, to, i);
        if (r >= 0) {
          return r;
        }
        i = ~r; // a byte the skim leaves to this loop (or to), where this walk is too
        boundary = false;
        continue;
      }
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
        // At the word's end, a non-word byte: from there the skim can take over.
        i = wordEnd(b, i + 1, to);
        boundary = false;
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

  /** The skim reads 32 bytes per step, and the one after them. */
  private static final int SKIM_STEP = 32;

  private static final int SKIM_MARGIN = SKIM_STEP + 1;

  /**
   * The walk of {@link #firstTrigger(byte[], int, int, int)} from {@code p}, 32 bytes per step, on
   * text without escapes or underscores: the position where a test passes, or {@code ~k} for the
   * position {@code k} (or {@code to}) where the byte loop goes on. Both walks give the same answer
   * for every input; {@code BytePrefilterEquivalenceTest} holds them to it.
   *
   * <p>Why it visits the same positions: from an ASCII non-word byte that is no backslash (where
   * the byte loop calls it), with no escape window open, the byte loop visits every non-word byte
   * but a space after a word, and of each run of letters and digits only its first byte (then
   * jumps to the run's end). So each step masks, in 32 bytes, the letters and digits whose
   * previous byte is none (word starts) and the bytes that are neither a letter, a digit nor a
   * space; at each in order, {@link #TRIGGER} on it and the next byte rules out nearly all, and
   * the rest take the exact test of the byte loop. A word start there follows an ASCII non-word
   * byte that is no backslash, so it is a word start for {@link #wordStart} too, and opens no
   * escape window. A well-formed non-ASCII character is stepped over, as the byte loop does, and
   * a letter or digit right after it starts a word unless the character is a word character (as
   * {@link #wordStart} decides); at a malformed one the walk returns. A backslash (which may open
   * an escape window) and an underscore at a run's start (after which the byte loop steps to the
   * next byte) end the skim where the byte loop would stand; an underscore inside a run ends it
   * at the run's end, where the byte loop jumps.
   *
   * <p>Why 32 bytes: in clean prose most words start with a pair that is not in {@link #PAIRS},
   * so a step costs a few masks per eight bytes and one table read per word; what is left is the
   * mispredicted exit of the loop over a step's candidates, paid once per step.
   */
  private static int skim(byte[] b, int from, int to, int p) {
    // The high bit set when b[p - 1] ends a word whose start was tested (or a non-ASCII word
    // character): a letter or digit at p starts nothing.
    long carry = 0;
    while (p + SKIM_MARGIN <= to) {
      long v0 = (long) LONGS.get(b, p);
      long v1 = (long) LONGS.get(b, p + 8);
      long v2 = (long) LONGS.get(b, p + 16);
      long v3 = (long) LONGS.get(b, p + 24);
      long a0 = alnum(v0);
      long a1 = alnum(v1);
      long a2 = alnum(v2);
      long a3 = alnum(v3);
      int candidates =
          highBits(candidates(v0, a0, carry))
              | highBits(candidates(v1, a1, a0 >>> 56)) << 8
              | highBits(candidates(v2, a2, a1 >>> 56)) << 16
              | highBits(candidates(v3, a3, a2 >>> 56)) << 24;
      int next = p + SKIM_STEP;
      carry = a3 >>> 56;
      while (candidates != 0) {
        int k = p + Integer.numberOfTrailingZeros(candidates);
        int c = b[k] & 0xFF;
        if (TRIGGER[c << 8 | (b[k + 1] & 0xFF)]) {
          if (c >= 128) {
            // Characters the byte loop steps over one by one (returning at a malformed one), then
            // looks at what follows the last: the whole run of them is stepped over here.
            int j = k;
            int len;
            do {
              if (to - j >= 8 && Utf8Words.fourTwoByteCharacters((long) LONGS.get(b, j))) {
                j += 8;
                len = 2;
                continue;
              }
              len = sequenceLength(b, j, to);
              if (len < 0) {
                return j;
              }
              j += len;
            } while (j < to && b[j] < 0);
            boolean wordChar = isWordChar(b, j - len, len);
            int rel = j - p;
            if (rel >= SKIM_STEP) {
              next = j;
              carry = wordChar ? HIGH_BIT : 0;
              break;
            }
            // The run ends inside this step: its candidates before j (the run's own bytes) go; a
            // letter or digit at j starts a word only after a character that is not a word's.
            // Why not start a new step at j: text in Cyrillic or Greek has a run every few bytes,
            // and a step each was 12 times the cost per byte of English.
            candidates &= -1 << rel;
            byte after = CLASS[b[j]]; // ASCII: the run ended before `to`, at a byte >= 0
            if (wordChar && (after == LETTER || after == DIGIT)) {
              candidates &= ~(1 << rel);
            }
            continue;
          }
          if (c == '\\') {
            return ~k;
          }
          if (c == '_') {
            int before = b[k - 1]; // read by this skim: its first byte is no underscore
            return ~(before >= 0 && WORD[before] ? wordEnd(b, k + 1, to) : k);
          }
          byte cls = CLASS[c];
          if (cls == LETTER
              ? wordMayFindAfterPair(b, k, to)
              : cls == DIGIT ? numberRunMayFind(b, k, to) : mayFindAt(b, from, to, k)) {
            return k;
          }
        }
        candidates &= candidates - 1;
      }
      p = next;
    }
    if (carry != 0 && p < to && b[p] >= 0 && WORD[b[p]]) {
      p = wordEnd(b, p + 1, to); // inside a word whose start was tested: the byte loop jumps
    }
    return ~p;
  }

  /** The high bit of each byte of {@code v} that is an ASCII letter or digit. */
  private static long alnum(long v) {
    long low = v & LOW7;
    long folded = low | CASE_BITS;
    long letter = (folded + AT_LEAST_LOWER_A) & ~(folded + ABOVE_LOWER_Z);
    long digit = (low + AT_LEAST_ZERO) & ~(low + ABOVE_NINE);
    return (letter | digit) & ~v & HIGH;
  }

  /**
   * The high bit of each byte of {@code v} the skim looks at: a letter or digit after a byte that
   * is none ({@code carry}: the high bit when the byte before {@code v} is one), and every byte
   * that is neither a letter, a digit nor a space (non-ASCII bytes included).
   */
  private static long candidates(long v, long alnum, long carry) {
    long starts = alnum & ~(alnum << 8 | carry);
    return starts | (~(alnum | eq(v, SPACES)) & HIGH);
  }

  /** The high bits of the eight bytes of {@code x} (no other bit set) as an 8-bit mask. */
  private static int highBits(long x) {
    // Each byte's high bit lands on its own bit of the top byte, without carries.
    return (int) ((x * 0x0002040810204081L) >>> 56);
  }

  private static final long HIGH_BIT = 0x80;

  /**
   * Whether the well-formed sequence of {@code len} bytes at {@code k} is a character that {@link
   * #wordStart} counts as part of a word (a character beyond the BMP never is).
   */
  private static boolean isWordChar(byte[] b, int k, int len) {
    int lead = b[k] & 0xFF;
    if (len == 2) {
      return BuiltinScanner.isWordChar((char) (((lead & 0x1F) << 6) | (b[k + 1] & 0x3F)));
    }
    if (len == 3) {
      return BuiltinScanner.isWordChar(
          (char) (((lead & 0x0F) << 12) | ((b[k + 1] & 0x3F) << 6) | (b[k + 2] & 0x3F)));
    }
    return false;
  }

  /**
   * The first byte from {@code j} that is not an ASCII word character: eight at a time, so that a
   * word of up to eight characters costs one step and no mispredicted loop exit.
   */
  static int wordEnd(byte[] b, int j, int to) {
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
  private static final long SPACES = repeat(' ');
  // OR-ed into an ASCII byte, maps 'A'-'Z' onto 'a'-'z' and no other byte onto a letter.
  private static final long CASE_BITS = repeat(0x20);
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
  static boolean mayFindAt(byte[] b, int from, int to, int i) {
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
  static boolean wordMayFind(byte[] b, int i, int to) {
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
  static boolean numberRunMayFind(byte[] b, int i, int to) {
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
