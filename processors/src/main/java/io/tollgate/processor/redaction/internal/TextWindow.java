package io.tollgate.processor.redaction.internal;

/**
 * Where the scan of a long text with a possible finding may start: the texts that hold personal
 * data are mostly long prompts with one e-mail address or phone number near their end, and
 * decoding and scanning everything before it finds nothing.
 *
 * <p>Why the findings stay the same. {@link BytePrefilter#firstTrigger} gives the first byte
 * {@code p} at which one of its tests passes. Each test is a necessary condition for the
 * recogniser that {@link BuiltinScanner}'s main loop calls at that character to find something,
 * taken at the same position, except the MAC and IPv6 test, which waits for the separator after
 * the first group of at most four hex digits. So the main loop finds nothing at a character that
 * starts more than {@link #MARGIN} bytes before {@code p}. The loop's state between steps is only
 * its position (whether a word starts there it can always ask {@code wordStart}), and it moves by
 * one character, by a word (word characters and one space after it), by a finding, or to the end
 * of a token a recogniser rejected ({@code skipTo}: an IBAN's characters, spaces and dashes, a MAC
 * or IPv6 address's hex digits, colons, dashes and dots, a dotted number's digits, separators and
 * parentheses). With no finding before it, the loop therefore visits every character that is
 * none of those: a <em>stop</em>, here {@code , ; ! ?} and line breaks and tabs (ASCII bytes that
 * are never part of a JSON escape or a multi-byte character). Started at a stop {@code q} at least
 * {@link #MARGIN} bytes before {@code p}, the loop does from {@code q} on exactly what it does in
 * the whole text, provided every recogniser still sees what it looks back at: at most 66
 * characters (an e-mail's local part, 64, and an escape before it; a secret's name, 52; context
 * words, 40; a URL's scheme, 32), so the decoded window starts at least 128 characters before
 * {@code q} (768 bytes: a character is at most six bytes, as a JSON escape), just after another
 * stop, or at the text's start. Findings are then those of the whole text, offset by the window's
 * start. {@code TextWindowTest} compares both on generated texts.
 *
 * <p>Only for the built-in recognisers (user patterns are regular expressions over the whole
 * text) and a context key that does not name a secret (the whole text is then one finding):
 * {@link TextScanner#firstPossible} is the text's start in both cases, and no window is taken.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class TextWindow {

  private TextWindow() {}

  /** A window skips at least this many bytes, or is not taken: short texts are scanned whole. */
  static final int MIN_SKIP = 1024;

  /** Bytes between the loop's start and the first trigger (see above: four would do). */
  static final int MARGIN = 16;

  /** Bytes the window keeps before the loop's start: 128 characters of six bytes at most. */
  static final int LOOK_BACK = 6 * 128;

  /** How far back a stop is looked for. */
  private static final int SEARCH = 512;

  /**
   * The window of the text {@code b[from, to)} whose first trigger is at {@code first}: {@code
   * windowFrom << 32 | loopFrom}, the byte where decoding starts and the byte of the stop where the
   * main loop starts; or -1 when the whole text is to be scanned.
   */
  public static long of(byte[] b, int from, int first) {
    if (first - from < MIN_SKIP) {
      return -1;
    }
    int q = stopBefore(b, from, first - MARGIN);
    if (q < 0 || q - from < MIN_SKIP / 2) {
      return -1;
    }
    int w = from;
    if (q - from > LOOK_BACK + SEARCH) {
      int s = stopBefore(b, from, q - LOOK_BACK - 1);
      w = s < 0 ? from : s + 1;
    }
    return (long) w << 32 | q;
  }

  /** The last stop at or before {@code at}, not before {@code from}, within {@link #SEARCH}. */
  private static int stopBefore(byte[] b, int from, int at) {
    for (int i = at, end = Math.max(from, at - SEARCH); i >= end; i--) {
      byte c = b[i];
      if (c == ',' || c == ';' || c == '!' || c == '?' || c == '\n' || c == '\r' || c == '\t') {
        return i;
      }
    }
    return -1;
  }
}
