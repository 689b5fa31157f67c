package io.tollgate.processor.redaction.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The built-in recognisers in one pass over the text.
 *
 * <p>Running one regular expression per recogniser over every prompt costs a pass per recogniser,
 * and most prompts hold no personal data at all. Instead, one loop classifies each character with a
 * table lookup and only stops at <em>triggers</em>: an {@code @} (e-mail), {@code ://} (URL
 * credentials), {@code =} or {@code :} after a secret's name, {@code -----BEGIN}, and the start of
 * a word (a digit run, {@code +} or {@code (} for numbers; a vendor prefix such as {@code sk-},
 * {@code AKIA}, {@code ghp_}, {@code eyJ}, {@code Bearer}; two capitals and two digits for an IBAN;
 * hex for MAC and IPv6). Each recogniser then looks only at the few characters around its trigger,
 * with hand-written parsing and checksums (Luhn, mod 97, number plans) rather than backtracking
 * regexes.
 *
 * <p>Prose is mostly words that cannot start anything, so the loop steps a word at a time: it finds
 * the end of the word with one table lookup per character, and asks the recognisers only when the
 * word's first two characters or its length and the character after it allow one of them ({@link
 * #mayStartWord}, {@link #mayStartNumber}). Those pre-filters only ever skip a word for which every
 * recogniser would have returned nothing; {@code BuiltinScannerDifferentialTest} holds the scanner
 * to the findings of its unfiltered predecessor.
 *
 * <p>Immutable and thread-safe. Each thread reuses its own scratch state (the text's characters and
 * the digit groups of numbers), so a scan that finds nothing allocates nothing.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class BuiltinScanner {

  // Character classes of ASCII, for the main loop.
  private static final byte OTHER = 0;
  private static final byte LETTER = 1;
  private static final byte DIGIT = 2;
  private static final byte AT = 3;
  private static final byte COLON = 4;
  private static final byte EQUALS = 5;
  private static final byte DASH = 6;
  private static final byte PLUS = 7;
  private static final byte LPAREN = 8;
  private static final byte NON_ASCII = 9;
  private static final byte[] CLASS = new byte[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      CLASS[c] = LETTER;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      CLASS[c] = LETTER;
    }
    for (char c = '0'; c <= '9'; c++) {
      CLASS[c] = DIGIT;
    }
    CLASS['@'] = AT;
    CLASS[':'] = COLON;
    CLASS['='] = EQUALS;
    CLASS['-'] = DASH;
    CLASS['+'] = PLUS;
    CLASS['('] = LPAREN;
  }

  /**
   * Latin-1 word characters (letters, digits, underscore): what {@link #isWordChar} accepts, by
   * table, since accented letters are common in prompts and {@link Character#isLetterOrDigit} costs
   * a lookup of the character's type.
   */
  private static final boolean[] WORD = new boolean[256];

  static {
    for (char c = 0; c < 256; c++) {
      WORD[c] =
          c < 128
              ? CLASS[c] == LETTER || CLASS[c] == DIGIT || c == '_'
              : Character.isLetterOrDigit(c);
    }
  }

  /** Characters of a vendor token after its prefix. */
  private enum Charset {
    ALNUM,
    ALNUM_UNDERSCORE,
    ALNUM_DASH,
    ALNUM_DASH_UNDERSCORE,
    UPPER_DIGIT;

    boolean accepts(char c) {
      if (c >= 128) {
        return false;
      }
      boolean digit = c >= '0' && c <= '9';
      boolean upper = c >= 'A' && c <= 'Z';
      boolean lower = c >= 'a' && c <= 'z';
      switch (this) {
        case ALNUM:
          return digit || upper || lower;
        case ALNUM_UNDERSCORE:
          return digit || upper || lower || c == '_';
        case ALNUM_DASH:
          return digit || upper || lower || c == '-';
        case ALNUM_DASH_UNDERSCORE:
          return digit || upper || lower || c == '-' || c == '_';
        default:
          return digit || upper;
      }
    }
  }

  /** A secret with a fixed, vendor-specific prefix. */
  private record PrefixToken(String prefix, Charset charset, int min, int max, Builtin builtin) {}

  // Longest prefixes first within a first character, so that sk-ant- wins over sk-.
  private static final List<PrefixToken> TOKENS =
      List.of(
          new PrefixToken("sk-ant-", Charset.ALNUM_DASH_UNDERSCORE, 32, 300, Builtin.ANTHROPIC_KEY),
          new PrefixToken("sk_live_", Charset.ALNUM, 16, 255, Builtin.STRIPE_KEY),
          new PrefixToken("sk_test_", Charset.ALNUM, 16, 255, Builtin.STRIPE_KEY),
          new PrefixToken("sk-", Charset.ALNUM_DASH_UNDERSCORE, 20, 300, Builtin.OPENAI_KEY),
          new PrefixToken("rk_live_", Charset.ALNUM, 16, 255, Builtin.STRIPE_KEY),
          new PrefixToken("rk_test_", Charset.ALNUM, 16, 255, Builtin.STRIPE_KEY),
          new PrefixToken("AKIA", Charset.UPPER_DIGIT, 16, 16, Builtin.AWS_ACCESS_KEY),
          new PrefixToken("ASIA", Charset.UPPER_DIGIT, 16, 16, Builtin.AWS_ACCESS_KEY),
          new PrefixToken("ABIA", Charset.UPPER_DIGIT, 16, 16, Builtin.AWS_ACCESS_KEY),
          new PrefixToken("ACCA", Charset.UPPER_DIGIT, 16, 16, Builtin.AWS_ACCESS_KEY),
          new PrefixToken("AIza", Charset.ALNUM_DASH_UNDERSCORE, 35, 35, Builtin.GOOGLE_API_KEY),
          new PrefixToken("github_pat_", Charset.ALNUM_UNDERSCORE, 50, 255, Builtin.GITHUB_TOKEN),
          new PrefixToken("ghp_", Charset.ALNUM, 36, 255, Builtin.GITHUB_TOKEN),
          new PrefixToken("gho_", Charset.ALNUM, 36, 255, Builtin.GITHUB_TOKEN),
          new PrefixToken("ghu_", Charset.ALNUM, 36, 255, Builtin.GITHUB_TOKEN),
          new PrefixToken("ghs_", Charset.ALNUM, 36, 255, Builtin.GITHUB_TOKEN),
          new PrefixToken("ghr_", Charset.ALNUM, 36, 255, Builtin.GITHUB_TOKEN),
          new PrefixToken("glpat-", Charset.ALNUM_DASH_UNDERSCORE, 20, 64, Builtin.GITLAB_TOKEN),
          new PrefixToken("xoxb-", Charset.ALNUM_DASH, 10, 255, Builtin.SLACK_TOKEN),
          new PrefixToken("xoxp-", Charset.ALNUM_DASH, 10, 255, Builtin.SLACK_TOKEN),
          new PrefixToken("xoxa-", Charset.ALNUM_DASH, 10, 255, Builtin.SLACK_TOKEN),
          new PrefixToken("xoxo-", Charset.ALNUM_DASH, 10, 255, Builtin.SLACK_TOKEN),
          new PrefixToken("xoxs-", Charset.ALNUM_DASH, 10, 255, Builtin.SLACK_TOKEN),
          new PrefixToken("xoxr-", Charset.ALNUM_DASH, 10, 255, Builtin.SLACK_TOKEN),
          new PrefixToken("xapp-", Charset.ALNUM_DASH, 10, 255, Builtin.SLACK_TOKEN),
          new PrefixToken("hf_", Charset.ALNUM, 30, 64, Builtin.HUGGINGFACE_TOKEN),
          new PrefixToken("npm_", Charset.ALNUM, 36, 36, Builtin.NPM_TOKEN));

  /**
   * The first two characters (both ASCII, {@code first << 7 | second}) of a word at which {@link
   * Scan#word} may find something other than a MAC or IPv6 address: a vendor prefix, {@code eyJ}
   * (JWT), {@code Bearer}/{@code Basic} in any case, or two capitals (IBAN). A superset: each
   * recogniser still checks the rest.
   */
  private static final long[] WORD_PAIRS = new long[128 * 128 / 64]; // a bit set: 2 KB, not 16

  static {
    for (PrefixToken t : TOKENS) {
      setPair(t.prefix().charAt(0), t.prefix().charAt(1));
    }
    setPair('e', 'y');
    for (char b : new char[] {'B', 'b'}) {
      for (char second : new char[] {'E', 'e', 'A', 'a'}) {
        setPair(b, second);
      }
    }
    for (char c0 = 'A'; c0 <= 'Z'; c0++) {
      for (char c1 = 'A'; c1 <= 'Z'; c1++) {
        setPair(c0, c1);
      }
    }
  }

  private static void setPair(char first, char second) {
    int bit = first << 7 | second;
    WORD_PAIRS[bit >>> 6] |= 1L << bit;
  }

  private static boolean isWordPair(char first, char second) {
    int bit = first << 7 | second;
    return (WORD_PAIRS[bit >>> 6] & (1L << bit)) != 0;
  }

  private static final String[] PHONE_CONTEXT = {
    "phone",
    "tel",
    "mobile",
    "cell",
    "call",
    "fax",
    "whatsapp",
    "sms",
    "text me",
    "reach me",
    "contact",
    "telefon",
    "handy",
    "number",
  };
  private static final String[] SSN_CONTEXT = {"ssn", "social security", "ss#", "ss no"};

  private static final int MAX_GROUPS = 12;

  private final boolean[] on = new boolean[Builtin.values().length];
  private final PrefixToken[][] tokensByFirstChar = new PrefixToken[128][];

  public BuiltinScanner(Set<Builtin> enabled) {
    for (Builtin b : enabled) {
      on[b.ordinal()] = true;
    }
    List<List<PrefixToken>> byChar = new ArrayList<>();
    for (int c = 0; c < 128; c++) {
      byChar.add(new ArrayList<>());
    }
    for (PrefixToken t : TOKENS) {
      if (on[t.builtin().ordinal()]) {
        byChar.get(t.prefix().charAt(0)).add(t);
      }
    }
    for (int c = 0; c < 128; c++) {
      List<PrefixToken> l = byChar.get(c);
      tokensByFirstChar[c] = l.isEmpty() ? null : l.toArray(new PrefixToken[0]);
    }
  }

  public static BuiltinScanner all() {
    return new BuiltinScanner(EnumSet.allOf(Builtin.class));
  }

  private boolean on(Builtin b) {
    return on[b.ordinal()];
  }

  /** Findings in {@code text}, in order of their trigger; may overlap. */
  public List<Finding> scan(String text) {
    return scan(text, null);
  }

  /**
   * Findings in {@code text}. When {@code contextKey} (the attribute key or JSON field that holds
   * the text) names a secret, the whole text is one {@code SECRET}.
   */
  public List<Finding> scan(String text, String contextKey) {
    int n = text.length();
    if (n == 0) {
      return Collections.emptyList();
    }
    if (isSecretContext(contextKey) && !alreadyRedacted(text, 0, n)) {
      return List.of(new Finding(0, n, Entities.SECRET, Builtin.SECRET_ASSIGNMENT.score()));
    }
    if (n < 3) {
      return Collections.emptyList(); // "::1" is the shortest entity
    }
    Scan scan = scans.get();
    text.getChars(0, n, scan.load(n), 0);
    return scan.run();
  }

  /**
   * Findings in {@code chars[offset, offset + length)}, with offsets relative to {@code offset}:
   * the same as {@link #scan(String, String)} on that text, without making a String of it (a JSON
   * leaf straight from the parser's buffer).
   */
  public List<Finding> scan(char[] chars, int offset, int length, String contextKey) {
    if (length == 0) {
      return Collections.emptyList();
    }
    Scan scan = scans.get();
    if (scan.secretContext(contextKey) && !alreadyRedacted(chars, offset, offset + length)) {
      return List.of(new Finding(0, length, Entities.SECRET, Builtin.SECRET_ASSIGNMENT.score()));
    }
    if (length < 3) {
      return Collections.emptyList();
    }
    if (offset == 0) {
      return scan.runOver(chars, length); // a decoded value in the caller's buffer: no copy
    }
    System.arraycopy(chars, offset, scan.load(length), 0, length);
    return scan.run();
  }

  /**
   * {@link #scan(char[], int, int, String)} of {@code chars[0, length)} with its main loop started
   * at {@code start} instead of 0, for a text whose scan from 0 surely reaches {@code start} with
   * no finding and no skip across it (see {@link TextWindow}); the characters before {@code start}
   * are still there for the recognisers that look back. Not for a secret context.
   */
  public List<Finding> scanFrom(char[] chars, int length, int start) {
    if (length < 3) {
      return Collections.emptyList();
    }
    return scans.get().runOver(chars, length, start);
  }

  /**
   * False when {@link #scan(String, String)} surely finds nothing in the text whose UTF-8 is {@code
   * utf8[from, to)}, scanned as it is or leaf by leaf as a JSON document (see {@link
   * BytePrefilter}); true when the text must be decoded and scanned to know.
   */
  public boolean mayFind(byte[] utf8, int from, int to, String contextKey) {
    if (isSecretContext(contextKey)) {
      return true;
    }
    return BytePrefilter.mayFind(utf8, from, to);
  }

  /**
   * Where {@link #mayFind} looks first: {@code from} when the context names a secret, else the
   * pre-filter's first position ({@link BytePrefilter#firstTrigger}), or -1 when nothing may be
   * found.
   */
  public int firstPossible(byte[] utf8, int from, int to, String contextKey) {
    return firstPossible(utf8, from, to, contextKey, from);
  }

  /**
   * {@link #firstPossible(byte[], int, int, String)} when the pre-filter is known to pass no test
   * before {@code start} (see {@link BytePrefilter#firstTrigger(byte[], int, int, int)}).
   */
  public int firstPossible(byte[] utf8, int from, int to, String contextKey, int start) {
    if (isSecretContext(contextKey)) {
      return from;
    }
    return BytePrefilter.firstTrigger(utf8, from, to, start);
  }

  /** Whether the key that holds a text makes the whole text a secret. */
  public boolean secretContext(String contextKey) {
    return isSecretContext(contextKey);
  }

  /** The vendor prefixes, for {@link BytePrefilter}. */
  static List<String> tokenPrefixes() {
    List<String> out = new ArrayList<>();
    for (PrefixToken t : TOKENS) {
      out.add(t.prefix());
    }
    return out;
  }

  /**
   * Whether the key that holds a text names a secret. A bare "token" key is not a secret's name in
   * GenAI payloads: log-probabilities list each output token as {"token": "Hello", "logprob":
   * -0.1}.
   */
  private boolean isSecretContext(String contextKey) {
    return contextKey != null
        && on(Builtin.SECRET_ASSIGNMENT)
        && SecretKeys.isSecretKey(contextKey)
        && !contextKey.equalsIgnoreCase("token");
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  static boolean isAsciiAlnum(char c) {
    return c < 128 && (CLASS[c] == LETTER || CLASS[c] == DIGIT);
  }

  static boolean isWordChar(char c) {
    return c < 256 ? WORD[c] : Character.isLetterOrDigit(c);
  }

  /** A value that a previous pass already replaced ({@code <EMAIL_ADDRESS>}) or masked. */
  static boolean alreadyRedacted(String s, int from, int to) {
    if (to - from >= 3 && s.charAt(from) == '<' && s.charAt(to - 1) == '>') {
      return true;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c != '*' && c != 'x' && c != 'X' && c != '#' && c != '•') {
        return false;
      }
    }
    return true;
  }

  /** {@link #alreadyRedacted(String, int, int)} over characters. */
  static boolean alreadyRedacted(char[] s, int from, int to) {
    if (to - from >= 3 && s[from] == '<' && s[to - 1] == '>') {
      return true;
    }
    for (int i = from; i < to; i++) {
      char c = s[i];
      if (c != '*' && c != 'x' && c != 'X' && c != '#' && c != '•') {
        return false;
      }
    }
    return true;
  }

  /** Scratch texts longer than this are not kept for the next scan on the thread. */
  private static final int MAX_KEPT_CHARS = 1 << 17;

  private final ThreadLocal<Scan> scans = ThreadLocal.withInitial(Scan::new);

  /**
   * The state of one scan: the text's characters and scratch space for digit groups, reused by the
   * next scan on the same thread. Also the text as a {@link CharSequence} for the helpers that take
   * one ({@link SecretKeys}, {@link Validators}).
   */
  private final class Scan implements CharSequence {
    // A copy: String.charAt on text with any non-Latin-1 character costs a bounds check and two
    // byte loads per call, and the scan reads every character at least once.
    char[] cs = new char[256];
    int n;
    // Digit groups of the current number run.
    final int[] gStart = new int[MAX_GROUPS];
    final int[] gEnd = new int[MAX_GROUPS];
    final int[] gAfter = new int[MAX_GROUPS]; // position after the group, past a ')'
    final char[] gSep = new char[MAX_GROUPS]; // separator before the group, 0 for none
    final boolean[] gParen = new boolean[MAX_GROUPS];
    int groups;
    boolean plus;
    // The digits of a card candidate, without separators.
    final char[] cardDigits = new char[19];

    /**
     * Set by a recogniser that rejected a whole token (a version 1.2.3.4.5, a seven-group "MAC", an
     * IBAN with a bad checksum): the scan resumes after it, so that a tail of the token is not
     * mistaken for something else (2.3.4.5 for an IP address).
     */
    int skipTo = -1;

    // The last context key and whether it names a secret: the leaves of a JSON document share a
    // few field names (the walker hands over the same String instances), so most leaves ask again
    // about the key the previous one had.
    private String lastKey;
    private boolean lastKeySecret;

    boolean secretContext(String contextKey) {
      if (contextKey != lastKey) {
        lastKeySecret = isSecretContext(contextKey);
        lastKey = contextKey;
      }
      return lastKeySecret;
    }

    /** Room for a text of {@code length} characters, to be copied into the returned array. */
    char[] load(int length) {
      n = length;
      skipTo = -1;
      if (length > cs.length) {
        char[] bigger = new char[Math.max(length, Math.min(2 * cs.length, MAX_KEPT_CHARS))];
        if (bigger.length > MAX_KEPT_CHARS) {
          kept = cs; // too large to keep: this text gets an array of its own, dropped afterwards
        }
        cs = bigger;
      }
      return cs;
    }

    private char[] kept;

    /**
     * {@link #run()} over {@code chars[0, length)} in place: the caller's array stands in for the
     * scratch copy for the duration of the scan (nothing keeps it afterwards).
     */
    List<Finding> runOver(char[] chars, int length) {
      return runOver(chars, length, 0);
    }

    /** {@link #runOver(char[], int)} with the main loop starting at {@code start}. */
    List<Finding> runOver(char[] chars, int length, int start) {
      char[] own = cs;
      cs = chars;
      n = length;
      skipTo = -1;
      try {
        return loop(start);
      } finally {
        cs = own;
      }
    }

    List<Finding> run() {
      try {
        return loop(0);
      } finally {
        if (kept != null) {
          cs = kept;
          kept = null;
        }
      }
    }

    /**
     * The main loop. Only some characters can start an entity: a word's first character, '@', ':',
     * '=', '-', and '+' or '(' before a digit. Everything inside a word is skipped at once (see
     * {@link #wordStart} for the one exception, escapes written out as text), and so is a space
     * after a word.
     */
    private List<Finding> loop(int start) {
      final char[] cs = this.cs;
      final int n = this.n;
      List<Finding> out = null;
      int i = start;
      // Whether cs[i - 1] is known not to be a word character: then a word starts at i. Known when
      // the loop stepped to i from i - 1 or from the end of a word over one space; not after a
      // finding or a skip, where wordStart(i) decides.
      boolean boundary = start == 0;
      while (i < n) {
        char c = cs[i];
        int next = i + 1;
        boolean nextBoundary;
        Finding f = null;
        switch (c < 128 ? CLASS[c] : NON_ASCII) {
          case LETTER:
          case DIGIT:
            {
              int j = runEnd(cs, n, i + 1);
              nextBoundary = false;
              if (boundary || wordStart(i)) {
                if (CLASS[c] == LETTER ? mayStartWord(i, j) : mayStartNumber(i, j)) {
                  f = CLASS[c] == LETTER ? word(i) : number(i);
                }
                if (i == 0 || cs[i - 1] != '\\') {
                  next = j;
                  if (j + 1 < n && cs[j] == ' ') {
                    next = j + 1; // a space starts nothing, and a word may start after it
                    nextBoundary = true;
                  }
                }
              } else if (noBackslashBefore(i)) {
                next = j;
              }
              break;
            }
          case NON_ASCII:
            nextBoundary = !isWordChar(c);
            break;
          case AT:
            f = email(i);
            nextBoundary = true;
            break;
          case COLON:
            f = colon(i);
            nextBoundary = true;
            break;
          case EQUALS:
            f = assignment(i);
            nextBoundary = true;
            break;
          case DASH:
            f = pem(i);
            nextBoundary = true;
            break;
          case PLUS:
          case LPAREN:
            if (i + 1 < n && isDigit(cs[i + 1]) && (boundary || wordStart(i))) {
              f = number(i);
            }
            nextBoundary = true;
            break;
          default:
            nextBoundary = c != '_';
            break;
        }
        if (f != null) {
          if (out == null) {
            out = new ArrayList<>(4);
          }
          out.add(f);
          i = Math.max(i + 1, f.end());
          boundary = false;
        } else if (skipTo > i) {
          i = skipTo;
          boundary = false;
        } else {
          i = next;
          boundary = nextBoundary;
        }
        skipTo = -1;
      }
      return out == null ? Collections.emptyList() : out;
    }

    /** The end of the run of word characters from {@code j}. */
    private int runEnd(char[] cs, int n, int j) {
      while (j < n) {
        char c = cs[j];
        if (c < 256 ? !WORD[c] : !Character.isLetterOrDigit(c)) {
          break;
        }
        j++;
      }
      return j;
    }

    /**
     * Whether a word can start inside the word that {@code i} is in, after {@code i}: only after an
     * escape written out as text, with its backslash at most five characters before {@code i}
     * ({@code \n}, {@code \u00e9}; see {@link #wordStart}).
     */
    private boolean noBackslashBefore(int i) {
      for (int k = Math.max(0, i - 5); k < i; k++) {
        if (cs[k] == '\\') {
          return false;
        }
      }
      return true;
    }

    /**
     * Whether {@link #word} can find anything, or reject a token, at the letter {@code i} that
     * starts the word {@code [i, j)}: its first two characters allow a vendor prefix, a JWT, an
     * auth scheme or an IBAN, or it is a hex word of at most four characters followed by ':', '-'
     * or '.' (a MAC or IPv6 address). When this says no, {@code word(i)} returns null and leaves
     * {@link #skipTo} alone.
     */
    private boolean mayStartWord(int i, int j) {
      if (i + 1 < n) {
        char c1 = cs[i + 1];
        if (c1 < 128 && isWordPair(cs[i], c1)) {
          return true;
        }
      }
      return mayBeHexAddress(i, j);
    }

    /**
     * Whether {@link #number} can find anything, or reject a token, at the digit {@code i} that
     * starts the word {@code [i, j)}. A lone group of digits (not followed by a separator and
     * another group) is an entity only with nine digits or more (an SSN after "SSN", a phone number
     * after "call", a card); shorter, it can only be the start of a MAC or IPv6 address.
     */
    private boolean mayStartNumber(int i, int j) {
      int p = i + 1;
      while (p < n && isDigit(cs[p])) {
        p++;
      }
      if (p - i >= 9) {
        return true;
      }
      if (p + 1 < n) {
        char sep = cs[p];
        char after = cs[p + 1];
        if ((sep == ' ' || sep == '-' || sep == '.' || sep == '/')
            && (isDigit(after) || after == '(')) {
          return true;
        }
      }
      return mayBeHexAddress(i, j);
    }

    /**
     * Whether {@link #hexAddress} can find anything, or reject a token, at {@code i}: every form
     * starts with a hex group of at most four characters that ends the word, before ':' (IPv6,
     * MAC), '-' (MAC) or '.' (Cisco MAC).
     */
    private boolean mayBeHexAddress(int i, int j) {
      // The character after the word first: it is nearly always a space, so this branch is well
      // predicted, where the word's length is not.
      if (j >= n) {
        return false;
      }
      char t = cs[j];
      return (t == ':' || t == '-' || t == '.') && j - i <= 4 && isHex(cs[i]);
    }

    @Override
    public int length() {
      return n;
    }

    @Override
    public char charAt(int index) {
      if (index >= n) {
        throw new IndexOutOfBoundsException(index);
      }
      return cs[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return substring(start, end);
    }

    String substring(int start, int end) {
      if (start < 0 || end > n || start > end) {
        throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + n);
      }
      return new String(cs, start, end - start);
    }

    @Override
    public String toString() {
      return new String(cs, 0, n);
    }

    /**
     * Whether a word starts at {@code i}: the previous character is not a letter, digit or
     * underscore. An escape written out as text ({@code \n}, {@code \u00a0} in raw JSON) also ends
     * a word, else "\n415-555-0132" would hide the number.
     */
    boolean wordStart(int i) {
      if (i == 0) {
        return true;
      }
      char p = cs[i - 1];
      if (!isWordChar(p)) {
        return true;
      }
      if ((p == 'n' || p == 't' || p == 'r') && i >= 2 && cs[i - 2] == '\\') {
        return true;
      }
      return i >= 6
          && cs[i - 6] == '\\'
          && cs[i - 5] == 'u'
          && isHex(cs[i - 4])
          && isHex(cs[i - 3])
          && isHex(cs[i - 2])
          && isHex(p);
    }

    /** Whether a word ends at {@code e} (exclusive). */
    boolean wordEnd(int e) {
      return e >= n || !isWordChar(cs[e]);
    }

    /**
     * A char-by-char prefix test. {@link String#startsWith(String, int)} is slow when the text
     * holds non-Latin-1 characters (one "€" is enough) and the prefix does not, and it runs at
     * every '-' and at many word starts.
     */
    boolean startsWith(int at, String prefix) {
      int len = prefix.length();
      if (at < 0 || at + len > n) {
        return false;
      }
      for (int k = 0; k < len; k++) {
        if (cs[at + k] != prefix.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    /** {@link #startsWith} ignoring the case of ASCII letters; {@code lower} is lower case. */
    boolean startsWithIgnoreCase(int at, String lower) {
      int len = lower.length();
      if (at < 0 || at + len > n) {
        return false;
      }
      for (int k = 0; k < len; k++) {
        char c = cs[at + k];
        if (c >= 'A' && c <= 'Z') {
          c = (char) (c | 0x20);
        }
        if (c != lower.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    // ---------------------------------------------------------------- words

    Finding word(int i) {
      char c = cs[i];
      PrefixToken[] tokens = tokensByFirstChar[c];
      if (tokens != null) {
        for (PrefixToken t : tokens) {
          Finding f = prefixToken(i, t);
          if (f != null) {
            return f;
          }
        }
      }
      if (c == 'e' && on(Builtin.JWT)) {
        Finding f = jwt(i);
        if (f != null) {
          return f;
        }
      }
      if ((c == 'B' || c == 'b') && on(Builtin.BEARER_TOKEN)) {
        Finding f = authScheme(i);
        if (f != null) {
          return f;
        }
      }
      if (c >= 'A' && c <= 'Z' && on(Builtin.IBAN)) {
        Finding f = iban(i);
        if (f != null) {
          return f;
        }
      }
      if (isHex(c)) {
        return hexAddress(i);
      }
      return null;
    }

    Finding vendorToken(int i) {
      PrefixToken[] tokens = tokensByFirstChar[cs[i]];
      if (tokens != null) {
        for (PrefixToken t : tokens) {
          Finding f = prefixToken(i, t);
          if (f != null) {
            return f;
          }
        }
      }
      return cs[i] == 'e' && on(Builtin.JWT) ? jwt(i) : null;
    }

    Finding prefixToken(int i, PrefixToken t) {
      if (!startsWith(i, t.prefix())) {
        return null;
      }
      int from = i + t.prefix().length();
      int j = from;
      int limit = Math.min(n, from + t.max() + 1);
      while (j < limit && t.charset().accepts(cs[j])) {
        j++;
      }
      int len = j - from;
      if (len < t.min() || len > t.max() || !wordEnd(j)) {
        return null;
      }
      return new Finding(i, j, t.builtin().entityType(), t.builtin().score());
    }

    /** header.payload.signature, base64url, header starting with {"… ("eyJ"). */
    Finding jwt(int i) {
      if (!startsWith(i, "eyJ")) {
        return null;
      }
      int a = base64UrlRun(i);
      if (a - i < 10 || a >= n || cs[a] != '.') {
        return null;
      }
      int b = base64UrlRun(a + 1);
      if (b - (a + 1) < 4 || b >= n || cs[b] != '.') {
        return null;
      }
      int c = base64UrlRun(b + 1); // may be empty: alg "none"
      if (c < n && (cs[c] == '.' || isWordChar(cs[c]))) {
        return null;
      }
      return new Finding(i, c, Entities.JWT, Builtin.JWT.score());
    }

    int base64UrlRun(int j) {
      while (j < n) {
        char c = cs[j];
        if (isAsciiAlnum(c) || c == '-' || c == '_') {
          j++;
        } else {
          break;
        }
      }
      return j;
    }

    /** {@code Bearer <token>} and {@code Basic <base64(user:password)>}: the credential only. */
    Finding authScheme(int i) {
      boolean bearer = startsWithIgnoreCase(i, "bearer");
      boolean basic = !bearer && startsWithIgnoreCase(i, "basic");
      if (!bearer && !basic) {
        return null;
      }
      int j = i + (bearer ? 6 : 5);
      int spaces = j;
      while (j < n && (cs[j] == ' ' || cs[j] == '\t') && j - spaces < 4) {
        j++;
      }
      if (j == spaces) {
        return null;
      }
      int t = j;
      if (bearer) {
        if (on(Builtin.JWT)) {
          Finding jwt = jwt(t);
          if (jwt != null) {
            return jwt;
          }
        }
        while (j < n) {
          char c = cs[j];
          if (isAsciiAlnum(c)
              || c == '.'
              || c == '_'
              || c == '~'
              || c == '+'
              || c == '/'
              || c == '-'
              || c == '=') {
            j++;
          } else {
            break;
          }
        }
        if (j - t < 16 || !wordEnd(j)) {
          return null;
        }
        // A token has digits or mixed case; "Bearer authentication_mechanisms" is prose.
        if (!hasDigit(t, j) && !hasUpperAndLower(t, j)) {
          return null;
        }
        return new Finding(t, j, Entities.SECRET, Builtin.BEARER_TOKEN.score());
      }
      while (j < n) {
        char c = cs[j];
        if (isAsciiAlnum(c) || c == '+' || c == '/') {
          j++;
        } else {
          break;
        }
      }
      while (j < n && cs[j] == '=' && j - t < 300) {
        j++;
      }
      int len = j - t;
      if (len < 8 || len % 4 != 0 || !wordEnd(j)) {
        return null;
      }
      try {
        byte[] decoded = Base64.getDecoder().decode(substring(t, j));
        boolean colon = false;
        for (byte b : decoded) {
          if (b < 0x20 || b > 0x7e) {
            return null;
          }
          colon |= b == ':';
        }
        return colon ? new Finding(t, j, Entities.SECRET, Builtin.BEARER_TOKEN.score()) : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    boolean hasDigit(int from, int to) {
      for (int k = from; k < to; k++) {
        if (isDigit(cs[k])) {
          return true;
        }
      }
      return false;
    }

    boolean hasUpperAndLower(int from, int to) {
      boolean upper = false;
      boolean lower = false;
      for (int k = from; k < to; k++) {
        char c = cs[k];
        upper |= c >= 'A' && c <= 'Z';
        lower |= c >= 'a' && c <= 'z';
      }
      return upper && lower;
    }

    /** Two capitals, two check digits, then the country's length of BBAN, spaced in fours. */
    Finding iban(int i) {
      if (i + 4 >= n) {
        return null;
      }
      char c1 = cs[i + 1];
      if (c1 < 'A' || c1 > 'Z' || !isDigit(cs[i + 2]) || !isDigit(cs[i + 3])) {
        return null;
      }
      int expected = Validators.ibanLength(cs[i], c1);
      if (expected == 0) {
        return null;
      }
      int j = i;
      int count = 0;
      while (count < expected && j < n) {
        char c = cs[j];
        if (isDigit(c) || (c >= 'A' && c <= 'Z')) {
          count++;
          j++;
        } else if ((c == ' ' || c == '-')
            && count % 4 == 0
            && j + 1 < n
            && isAsciiAlnum(cs[j + 1])) {
          j++;
        } else {
          break;
        }
      }
      if (count != expected || !wordEnd(j)) {
        return null;
      }
      if (!Validators.iban(substring(i, j))) {
        skipTo = j;
        return null;
      }
      return new Finding(i, j, Entities.IBAN_CODE, Builtin.IBAN.score());
    }

    // ---------------------------------------------------------------- hex: MAC and IPv6

    Finding hexAddress(int i) {
      Finding mac = on(Builtin.MAC_ADDRESS) ? mac(i) : null;
      if (mac != null) {
        return mac;
      }
      return on(Builtin.IP_ADDRESS) ? ipv6(i) : null;
    }

    /** {@code 00:1A:2B:3C:4D:5E}, {@code 00-1a-2b-3c-4d-5e} or Cisco {@code 001a.2b3c.4d5e}. */
    Finding mac(int i) {
      if (i + 14 <= n && cs[i + 4] == '.') {
        for (int g = 0; g < 3; g++) {
          int p = i + g * 5;
          for (int k = 0; k < 4; k++) {
            if (!isHex(cs[p + k])) {
              return null;
            }
          }
          if (g < 2 && cs[p + 4] != '.') {
            return null;
          }
        }
        int e = i + 14;
        return wordEnd(e) && !(e + 1 < n && cs[e] == '.' && isHex(cs[e + 1]))
            ? new Finding(i, e, Entities.MAC_ADDRESS, Builtin.MAC_ADDRESS.score())
            : null;
      }
      if (i + 17 > n) {
        return null;
      }
      char sep = cs[i + 2];
      if (sep != ':' && sep != '-') {
        return null;
      }
      for (int g = 0; g < 6; g++) {
        int p = i + g * 3;
        if (!isHex(cs[p]) || !isHex(cs[p + 1])) {
          return null;
        }
        if (g < 5 && cs[p + 2] != sep) {
          return null;
        }
      }
      int e = i + 17;
      if (e + 1 < n && cs[e] == sep && isHex(cs[e + 1])) {
        while (e < n && (isHex(cs[e]) || cs[e] == sep)) {
          e++;
        }
        skipTo = e;
        return null;
      }
      if (!wordEnd(e)) {
        return null;
      }
      return new Finding(i, e, Entities.MAC_ADDRESS, Builtin.MAC_ADDRESS.score());
    }

    /**
     * IPv6 in full, compressed ({@code 2001:db8::1}, {@code ::1}) and IPv4-mapped forms, with an
     * optional zone ({@code fe80::1%eth0}). Times ({@code 10:30:00}) and C++/Rust paths ({@code
     * a::b}) are not addresses: a full form needs eight groups, a compressed one a digit.
     */
    Finding ipv6(int i) {
      // Cheap gate: a colon within the first five characters.
      int k = i;
      while (k < n && k - i < 4 && isHex(cs[k])) {
        k++;
      }
      if (k >= n || cs[k] != ':') {
        return null;
      }
      int j = i;
      while (j < n && j - i < 46) {
        char c = cs[j];
        if (isHex(c) || c == ':' || c == '.') {
          j++;
        } else {
          break;
        }
      }
      // Sentence punctuation after an address: "…::1." or "…:db8::1:".
      while (j > i
          && (cs[j - 1] == '.' || (cs[j - 1] == ':' && !(j - 2 >= i && cs[j - 2] == ':')))) {
        j--;
      }
      if (j - i < 2 || !validIpv6(i, j)) {
        if (colonsIn(i, j) >= 2) {
          skipTo = j;
        }
        return null;
      }
      int e = j;
      if (e < n && cs[e] == '%') {
        int z = e + 1;
        while (z < n && z - e < 16 && (isAsciiAlnum(cs[z]) || cs[z] == '_')) {
          z++;
        }
        if (z > e + 1) {
          e = z;
        }
      }
      if (!wordEnd(e)) {
        return null;
      }
      return new Finding(i, e, Entities.IP_ADDRESS, Builtin.IP_ADDRESS.score());
    }

    int colonsIn(int from, int to) {
      int c = 0;
      for (int p = from; p < to; p++) {
        if (cs[p] == ':') {
          c++;
        }
      }
      return c;
    }

    /** {@code needle} in {@code [from, to)} only: an unbounded search per trigger is quadratic. */
    int indexOf(String needle, int from, int to) {
      int last = Math.min(to, n) - needle.length();
      for (int p = from; p <= last; p++) {
        if (startsWith(p, needle)) {
          return p;
        }
      }
      return -1;
    }

    /** Position of the first "::" in {@code [from, to)}, or -1. */
    int doubleColon(int from, int to) {
      for (int p = from; p + 1 < to; p++) {
        if (cs[p] == ':' && cs[p + 1] == ':') {
          return p;
        }
      }
      return -1;
    }

    boolean validIpv6(int from, int to) {
      int dc = doubleColon(from, to);
      if (dc >= 0 && doubleColon(dc + 1, to) >= 0) {
        return false;
      }
      int groups = 0;
      int colons = 0;
      boolean digit = false;
      int p = from;
      while (p < to) {
        if (cs[p] == ':') {
          colons++;
          p++;
          continue;
        }
        int q = p;
        boolean dot = false;
        while (q < to && cs[q] != ':') {
          char c = cs[q];
          dot |= c == '.';
          digit |= isDigit(c);
          q++;
        }
        if (dot) {
          // Embedded IPv4, only as the last part.
          if (q != to || !ipv4Literal(p, q)) {
            return false;
          }
          groups += 2;
        } else {
          if (q - p > 4) {
            return false;
          }
          groups++;
        }
        p = q;
      }
      if (colons < 2) {
        return false;
      }
      if (dc < 0) {
        return groups == 8;
      }
      return groups <= 7 && digit;
    }

    boolean ipv4Literal(int from, int to) {
      int parts = 0;
      int p = from;
      while (p <= to) {
        int q = p;
        int v = 0;
        while (q < to && isDigit(cs[q]) && q - p < 3) {
          v = v * 10 + (cs[q] - '0');
          q++;
        }
        if (q == p || v > 255) {
          return false;
        }
        parts++;
        if (q == to) {
          break;
        }
        if (cs[q] != '.') {
          return false;
        }
        p = q + 1;
      }
      return parts == 4;
    }

    // ---------------------------------------------------------------- numbers

    /**
     * Phone numbers, cards, SSNs and IPv4 at the start of a digit run (or at {@code +}/{@code (}).
     */
    Finding number(int i) {
      Finding best = null;
      char c = cs[i];
      if (isDigit(c) && (on(Builtin.MAC_ADDRESS) || on(Builtin.IP_ADDRESS))) {
        best = hexAddress(i);
      }
      parseRun(i);
      if (groups == 0) {
        return best;
      }
      int digits = 0;
      for (int g = 0; g < groups; g++) {
        digits += gEnd[g] - gStart[g];
      }
      if (digits < 4) {
        return best;
      }
      if (!plus && on(Builtin.IP_ADDRESS)) {
        best = better(best, ipv4(i));
      }
      if (digits >= 9 && !plus && on(Builtin.US_SSN)) {
        best = better(best, ssn(i));
      }
      if (digits >= 12 && !plus && on(Builtin.CREDIT_CARD)) {
        best = better(best, card(i));
      }
      if (digits >= 8 && on(Builtin.PHONE)) {
        best = better(best, phone(i));
      }
      if (best == null) {
        // A dotted number (1.2.3.4.5, 10.0.19045) is one token: don't rescan its tail.
        int g = 1;
        while (g < groups && gSep[g] == '.') {
          g++;
        }
        if (g > 1) {
          skipTo = gAfter[g - 1];
        }
      }
      return best;
    }

    Finding better(Finding a, Finding b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      return b.beats(a) ? b : a;
    }

    /**
     * Splits the number at {@code i} into digit groups: an optional {@code +}, then digits with
     * single separators (space, dash, dot, slash) or parentheses between them.
     */
    void parseRun(int i) {
      groups = 0;
      plus = false;
      int pos = i;
      if (cs[pos] == '+') {
        plus = true;
        pos++;
      }
      char sep = 0;
      while (groups < MAX_GROUPS && pos < n) {
        int p = pos;
        boolean paren = false;
        if (cs[p] == '(') {
          paren = true;
          p++;
        }
        int ds = p;
        while (p < n && isDigit(cs[p]) && p - ds < 20) {
          p++;
        }
        if (p == ds) {
          break;
        }
        int de = p;
        if (paren) {
          if (p < n && cs[p] == ')') {
            p++;
          } else {
            break;
          }
        }
        gStart[groups] = ds;
        gEnd[groups] = de;
        gAfter[groups] = p;
        gSep[groups] = sep;
        gParen[groups] = paren;
        groups++;
        pos = p;
        if (pos >= n) {
          break;
        }
        char sc = cs[pos];
        if ((sc == ' ' || sc == '-' || sc == '.' || sc == '/')
            && pos + 1 < n
            && (isDigit(cs[pos + 1]) || cs[pos + 1] == '(')) {
          sep = sc;
          pos++;
        } else if (paren && isDigit(sc)) {
          sep = 0; // "(415)555-0132"
        } else if (sc == ' ' && pos + 2 < n && cs[pos + 1] == '(' && isDigit(cs[pos + 2])) {
          sep = ' ';
          pos++;
        } else {
          break;
        }
      }
    }

    int len(int g) {
      return gEnd[g] - gStart[g];
    }

    int value(int g) {
      int v = 0;
      for (int k = gStart[g]; k < gEnd[g] && k - gStart[g] < 9; k++) {
        v = v * 10 + (cs[k] - '0');
      }
      return v;
    }

    boolean anyParen(int upTo) {
      for (int g = 0; g < upTo; g++) {
        if (gParen[g]) {
          return true;
        }
      }
      return false;
    }

    /** Four dotted octets; a fifth dotted group makes it a version or an OID instead. */
    Finding ipv4(int i) {
      if (groups < 4 || anyParen(4)) {
        return null;
      }
      for (int g = 0; g < 4; g++) {
        if (len(g) > 3 || value(g) > 255 || (g > 0 && gSep[g] != '.')) {
          return null;
        }
      }
      if (groups > 4 && gSep[4] == '.') {
        return null;
      }
      int e = gEnd[3];
      if (!wordEnd(e) || (e + 1 < n && cs[e] == '.' && isDigit(cs[e + 1]))) {
        return null;
      }
      return new Finding(i, e, Entities.IP_ADDRESS, Builtin.IP_ADDRESS.score());
    }

    /** {@code 123-45-6789} or {@code 123 45 6789}; nine bare digits only after "SSN" or similar. */
    Finding ssn(int i) {
      if (anyParen(Math.min(groups, 3))) {
        return null;
      }
      if (groups >= 3
          && len(0) == 3
          && len(1) == 2
          && len(2) == 4
          && gSep[1] == gSep[2]
          && (gSep[1] == '-' || gSep[1] == ' ')
          && !(groups > 3 && gSep[3] == gSep[1] && gSep[1] == '-')
          && Validators.ssn(value(0), value(1), value(2))
          && wordEnd(gEnd[2])) {
        return new Finding(i, gEnd[2], Entities.US_SSN, Builtin.US_SSN.score());
      }
      if (len(0) == 9
          && (groups == 1 || gSep[1] == ' ')
          && wordEnd(gEnd[0])
          && hasContextBefore(i, SSN_CONTEXT)) {
        int v = value(0);
        if (Validators.ssn(v / 1_000_000, (v / 10_000) % 100, v % 10_000)) {
          return new Finding(i, gEnd[0], Entities.US_SSN, 0.6);
        }
      }
      return null;
    }

    /**
     * 13 to 19 digits, bare or grouped as cards are printed (4-4-4-4, 4-4-4-4-3, Amex 4-6-5, Diners
     * 4-6-4) with one kind of separator, a known issuer prefix and a valid Luhn digit.
     */
    Finding card(int i) {
      if (anyParen(1)) {
        return null;
      }
      for (int k = Math.min(groups, 5); k >= 1; k--) {
        if (anyParen(k) || !cardGrouping(k)) {
          continue;
        }
        int len = 0;
        for (int g = 0; g < k; g++) {
          for (int p = gStart[g]; p < gEnd[g]; p++) {
            cardDigits[len++] = cs[p];
          }
        }
        int e = gEnd[k - 1];
        if (wordEnd(e)
            && Validators.cardPrefix(cardDigits, len)
            && Validators.luhn(cardDigits, len)) {
          return new Finding(i, e, Entities.CREDIT_CARD, Builtin.CREDIT_CARD.score());
        }
      }
      return null;
    }

    boolean cardGrouping(int k) {
      int total = 0;
      for (int g = 0; g < k; g++) {
        total += len(g);
      }
      if (total < 13 || total > 19) {
        return false;
      }
      if (k == 1) {
        return true;
      }
      char sep = gSep[1];
      if (sep != ' ' && sep != '-') {
        return false;
      }
      for (int g = 2; g < k; g++) {
        if (gSep[g] != sep) {
          return false;
        }
      }
      if (k == 3 && len(0) == 4 && len(1) == 6 && (len(2) == 5 || len(2) == 4)) {
        return true; // Amex, Diners
      }
      for (int g = 0; g < k - 1; g++) {
        if (len(g) != 4) {
          return false;
        }
      }
      return len(k - 1) >= 1 && len(k - 1) <= 4;
    }

    /**
     * International ({@code +44 20 7946 0958}, {@code 0049 30 901820}), North American ({@code
     * (415) 555-0132}, {@code 415-555-0132}, {@code 1-800-555-0199}) and national trunk-prefix
     * forms ({@code 020 7946 0958}, {@code 06 12 34 56 78}); bare digit strings only after a word
     * such as "phone" or "call".
     */
    Finding phone(int i) {
      double score = Builtin.PHONE.score();
      if (plus) {
        if (cs[gStart[0]] == '0' || gParen[0]) {
          return null;
        }
        int e = longestPrefix(0, 8, 15);
        return e < 0 ? null : new Finding(i, e, Entities.PHONE_NUMBER, score);
      }
      int g0 = gStart[0];
      int g0len = len(0);
      if (g0len >= 3
          && cs[g0] == '0'
          && cs[g0 + 1] == '0'
          && cs[g0 + 2] != '0'
          && groups >= 2
          && !gParen[0]
          && g0len <= 7) {
        int e = longestPrefix(2, 8, 15);
        if (e >= 0 && e > gEnd[0]) {
          return new Finding(i, e, Entities.PHONE_NUMBER, score);
        }
      }
      Finding nanp = nanp(i);
      if (nanp != null) {
        return nanp;
      }
      if (g0len >= 2 && g0len <= 5 && cs[g0] == '0' && cs[g0 + 1] != '0' && groups >= 2) {
        Finding national = national(i);
        if (national != null) {
          return national;
        }
      }
      if (groups >= 1
          && !gParen[0]
          && len(0) >= 10
          && len(0) <= 15
          && wordEnd(gEnd[0])
          && hasContextBefore(i, PHONE_CONTEXT)) {
        return new Finding(i, gEnd[0], Entities.PHONE_NUMBER, 0.5);
      }
      return null;
    }

    /** End of the longest group prefix with {@code min..max} digits (less {@code skip}), or -1. */
    int longestPrefix(int skip, int min, int max) {
      int digits = -skip;
      int best = -1;
      for (int g = 0; g < groups && g < 8; g++) {
        digits += len(g);
        if (digits > max) {
          break;
        }
        if (digits >= min && wordEnd(gAfter[g])) {
          best = gAfter[g];
        }
      }
      return best;
    }

    Finding nanp(int i) {
      int a = 0;
      if (groups >= 4
          && len(0) == 1
          && cs[gStart[0]] == '1'
          && !gParen[0]
          && (gSep[1] == ' ' || gSep[1] == '-' || gSep[1] == '.')) {
        a = 1;
      }
      if (groups < a + 3) {
        return null;
      }
      int b = a + 1;
      int c = a + 2;
      if (len(a) != 3 || len(b) != 3 || len(c) != 4 || gParen[b] || gParen[c]) {
        return null;
      }
      char area = cs[gStart[a]];
      char exchange = cs[gStart[b]];
      if (area < '2' || exchange < '2') {
        return null;
      }
      if (gParen[a]) {
        if (gSep[b] != 0 && gSep[b] != ' ') {
          return null;
        }
        if (gSep[c] != '-' && gSep[c] != ' ' && gSep[c] != '.') {
          return null;
        }
      } else if (gSep[b] != gSep[c] || (gSep[b] != '-' && gSep[b] != '.' && gSep[b] != ' ')) {
        return null;
      }
      int e = gEnd[c];
      if (!wordEnd(e)) {
        return null;
      }
      return new Finding(i, e, Entities.PHONE_NUMBER, Builtin.PHONE.score());
    }

    /** Trunk prefix 0 (not 00), one separator throughout, 9 to 12 digits, groups of 2+. */
    Finding national(int i) {
      char sep = groups > 1 ? gSep[1] : 0;
      // After "030/" or "(030) " the remaining groups share the next separator.
      char rest = sep == '/' || gParen[0] ? (groups > 2 ? gSep[2] : 0) : sep;
      int digits = 0;
      int best = -1;
      for (int g = 0; g < groups && g < 6; g++) {
        if (g > 0) {
          char sg = gSep[g];
          boolean ok = g == 1 ? sg != 0 || gParen[0] : sg == rest;
          if (!ok || gParen[g] || len(g) < 2) {
            break;
          }
          if (sg == '.' && len(g) != 2) {
            break;
          }
        }
        digits += len(g);
        if (digits > 12) {
          break;
        }
        if (g >= 1 && digits >= 9 && wordEnd(gEnd[g])) {
          best = gEnd[g];
        }
      }
      if (sep == '.' && len(0) != 2) {
        return null;
      }
      return best < 0 ? null : new Finding(i, best, Entities.PHONE_NUMBER, Builtin.PHONE.score());
    }

    /**
     * Whether one of {@code words} (lower case ASCII) starts a word within 40 characters before
     * {@code i}. Only word starts whose first letter begins some context word are compared.
     */
    boolean hasContextBefore(int i, String[] words) {
      for (int p = Math.max(0, i - 40); p < i; p++) {
        char c = cs[p];
        if (c >= 128 || CLASS[c] != LETTER || (p > 0 && Character.isLetter(cs[p - 1]))) {
          continue;
        }
        char lower = (char) (c | 0x20);
        for (String w : words) {
          if (w.charAt(0) == lower && p + w.length() <= i && startsWithIgnoreCase(p, w)) {
            return true;
          }
        }
      }
      return false;
    }

    // ---------------------------------------------------------------- e-mail

    Finding email(int at) {
      if (!on(Builtin.EMAIL) || at == 0 || at + 3 >= n) {
        return null;
      }
      int ls = at;
      while (ls > 0 && at - ls < 64 && isLocalChar(cs[ls - 1])) {
        ls--;
      }
      // "\nbob@…" and "\u00e9bob@…" in escaped text: the escape is not part of the address.
      if (ls >= 1 && ls < at && cs[ls - 1] == '\\') {
        char e = cs[ls];
        if (e == 'n' || e == 't' || e == 'r') {
          ls++;
        } else if (e == 'u' && ls + 5 <= at) {
          ls += 5;
        }
      }
      while (ls < at && cs[ls] == '.') {
        ls++;
      }
      if (ls >= at || cs[at - 1] == '.') {
        return null;
      }
      int de = at + 1;
      while (de < n && de - at <= 255 && isDomainChar(cs[de])) {
        de++;
      }
      while (de > at + 1 && (cs[de - 1] == '.' || cs[de - 1] == '-')) {
        de--;
      }
      // An address cut short by an SDK's length limit ("jane.doe@exam") still identifies.
      boolean cut = de == n && de > at + 1;
      if (!cut && !validDomain(at + 1, de)) {
        return null;
      }
      // git@github.com:org/repo.git is an scp-style path, not an address.
      if (de + 1 < n && cs[de] == ':') {
        char c = cs[de + 1];
        if (Character.isLetter(c) || c == '/' || c == '~') {
          return null;
        }
      }
      return new Finding(ls, de, Entities.EMAIL_ADDRESS, Builtin.EMAIL.score());
    }

    boolean isLocalChar(char c) {
      if (c < 128) {
        return isAsciiAlnum(c)
            || c == '.'
            || c == '_'
            || c == '%'
            || c == '+'
            || c == '-'
            || c == '\'';
      }
      return Character.isLetterOrDigit(c);
    }

    boolean isDomainChar(char c) {
      if (c < 128) {
        return isAsciiAlnum(c) || c == '.' || c == '-';
      }
      return Character.isLetterOrDigit(c);
    }

    boolean validDomain(int from, int to) {
      if (to - from < 4) {
        return false;
      }
      int labelStart = from;
      int labels = 0;
      for (int p = from; p <= to; p++) {
        if (p == to || cs[p] == '.') {
          int len = p - labelStart;
          if (len == 0 || len > 63 || cs[labelStart] == '-' || cs[p - 1] == '-') {
            return false;
          }
          labels++;
          if (p == to) {
            // Top-level domain: letters (or an IDN "xn--" label), two or more.
            if (len < 2) {
              return false;
            }
            if (!startsWith(labelStart, "xn--")) {
              for (int k = labelStart; k < p; k++) {
                if (!Character.isLetter(cs[k])) {
                  return false;
                }
              }
            }
          }
          labelStart = p + 1;
        }
      }
      return labels >= 2;
    }

    // ---------------------------------------------------------------- ':' and '='

    Finding colon(int i) {
      if (i + 2 < n && cs[i + 1] == '/' && cs[i + 2] == '/') {
        return url(i);
      }
      if (i + 2 < n
          && cs[i + 1] == ':'
          && on(Builtin.IP_ADDRESS)
          && (i == 0 || (!isWordChar(cs[i - 1]) && cs[i - 1] != ':'))) {
        Finding f = ipv6(i);
        if (f != null) {
          return f;
        }
      }
      return assignment(i);
    }

    /**
     * At {@code ://}: a URL with a password ({@code postgres://app:s3cret@db:5432/x}) or a webhook
     * that is itself a secret (Slack). The whole URL is the finding.
     */
    Finding url(int i) {
      int ss = i;
      while (ss > 0 && i - ss < 32) {
        char c = cs[ss - 1];
        if (isAsciiAlnum(c) || c == '+' || c == '.' || c == '-') {
          ss--;
        } else {
          break;
        }
      }
      while (ss < i && !(cs[ss] < 128 && CLASS[cs[ss]] == LETTER)) {
        ss++;
      }
      if (ss == i) {
        return null;
      }
      int p = i + 3;
      if (on(Builtin.SLACK_TOKEN)
          && (startsWith(p, "hooks.slack.com/services/")
              || startsWith(p, "hooks.slack.com/workflows/"))) {
        int e = urlEnd(p);
        return e - p > 30 ? new Finding(ss, e, Entities.API_KEY, 1.0) : null;
      }
      if (!on(Builtin.URL_CREDENTIALS)) {
        return null;
      }
      int q = p;
      int colon = -1;
      while (q < n && q - p < 256) {
        char c = cs[q];
        if (c == '@'
            || c == '/'
            || c == '?'
            || c == '#'
            || c == '"'
            || c == '\''
            || c == '<'
            || c == '>'
            || c == '\\'
            || Character.isWhitespace(c)) {
          break;
        }
        if (c == ':' && colon < 0) {
          colon = q;
        }
        q++;
      }
      if (q >= n || cs[q] != '@' || colon < 0 || colon + 1 == q) {
        return null;
      }
      return new Finding(ss, urlEnd(q + 1), Entities.URL, Builtin.URL_CREDENTIALS.score());
    }

    int urlEnd(int p) {
      int e = p;
      while (e < n) {
        char c = cs[e];
        if (Character.isWhitespace(c)
            || c == '"'
            || c == '\''
            || c == '<'
            || c == '>'
            || c == '`'
            || c == '\\') {
          break;
        }
        e++;
      }
      while (e > p) {
        char c = cs[e - 1];
        if (c == '.' || c == ',' || c == ';' || c == ')' || c == ']' || c == '}' || c == '!'
            || c == '?') {
          e--;
        } else {
          break;
        }
      }
      return e;
    }

    /**
     * {@code password=…}, {@code "api_key": "…"}, {@code AWS_SECRET_ACCESS_KEY=…}: the value after
     * a key that names a secret. Unquoted values must look like secrets (6+ characters with a digit
     * or symbol, not a call such as {@code getpass()} or a dotted name).
     */
    Finding assignment(int i) {
      if (!on(Builtin.SECRET_ASSIGNMENT) || i == 0) {
        return null;
      }
      if (cs[i] == '=' && i + 1 < n && cs[i + 1] == '=') {
        return null; // comparison
      }
      int k = i - 1;
      while (k >= 0 && i - k <= 4) {
        char c = cs[k];
        if (c == ' ' || c == '"' || c == '\'' || c == '\\') {
          k--;
        } else {
          break;
        }
      }
      int ke = k + 1;
      // Most ':' and '=' follow a word that cannot end a secret's name: reject on its last letter
      // before walking back over the whole key.
      if (ke == 0 || !SecretKeys.mayEndKey(cs[ke - 1])) {
        return null;
      }
      while (k >= 0 && ke - k <= 48) {
        char c = cs[k];
        if (isAsciiAlnum(c) || c == '_' || c == '-' || c == '.') {
          k--;
        } else {
          break;
        }
      }
      int ks = k + 1;
      if (ke - ks < 3 || !SecretKeys.isSecretKey(this, ks, ke)) {
        return null;
      }
      int v = i + 1;
      while (v < n && v - i <= 3 && cs[v] == ' ') {
        v++;
      }
      if (v >= n) {
        return null;
      }
      if (cs[v] < 128 && CLASS[cs[v]] == LETTER) {
        // A vendor key keeps its own, more telling, entity type: OPENAI_API_KEY=sk-…
        Finding token = vendorToken(v);
        if (token != null) {
          return token;
        }
      }
      char quote = 0;
      if (v + 1 < n && cs[v] == '\\' && (cs[v + 1] == '"' || cs[v + 1] == '\'')) {
        quote = cs[v + 1];
        v += 2;
      } else if (cs[v] == '"' || cs[v] == '\'') {
        quote = cs[v];
        v++;
      }
      int ve = v;
      if (quote != 0) {
        while (ve < n && ve - v < 512) {
          char c = cs[ve];
          if (c == quote || c == '\\' || c == '\n') {
            break;
          }
          ve++;
        }
        if (ve >= n || ve - v < 4 || (cs[ve] != quote && cs[ve] != '\\')) {
          return null;
        }
      } else {
        // In a query string '&' ends the value; elsewhere it is part of the password.
        boolean query = ks > 0 && (cs[ks - 1] == '?' || cs[ks - 1] == '&');
        while (ve < n && ve - v < 512) {
          char c = cs[ve];
          if (Character.isWhitespace(c)
              || c == ','
              || c == ';'
              || (c == '&' && query)
              || c == '"'
              || c == '\''
              || c == '<'
              || c == '>'
              || c == ')'
              || c == ']'
              || c == '}'
              || c == '('
              || c == '['
              || c == '\\') {
            break;
          }
          ve++;
        }
        if (ve - v < 6 || !looksLikeSecretValue(v, ve)) {
          return null;
        }
        if (ve < n && (cs[ve] == '(' || cs[ve] == '[')) {
          return null; // an expression: getpass(), os.environ["…"]
        }
      }
      if (alreadyRedacted(cs, v, ve) || !hasAlnum(v, ve)) {
        return null;
      }
      return new Finding(v, ve, Entities.SECRET, Builtin.SECRET_ASSIGNMENT.score());
    }

    boolean hasAlnum(int from, int to) {
      for (int p = from; p < to; p++) {
        if (Character.isLetterOrDigit(cs[p])) {
          return true;
        }
      }
      return false;
    }

    boolean looksLikeSecretValue(int from, int to) {
      boolean digitOrSymbol = false;
      boolean dottedName = true;
      for (int p = from; p < to; p++) {
        char c = cs[p];
        if (!Character.isLetter(c)) {
          digitOrSymbol = true;
        }
        if (!(Character.isLetter(c) || c == '_' || c == '.')) {
          dottedName = false;
        }
      }
      if (dottedName) {
        return false; // settings.OPENAI_KEY, env_var_name
      }
      return digitOrSymbol;
    }

    // ---------------------------------------------------------------- PEM

    /** A PEM private key block, to its END line (or to the end of a cut text). */
    Finding pem(int i) {
      if (!on(Builtin.PRIVATE_KEY) || !startsWith(i, "-----BEGIN ")) {
        return null;
      }
      int he = indexOf("-----", i + 11, i + 80);
      if (he < 0) {
        return null;
      }
      if (indexOf("PRIVATE KEY", i + 11, he) < 0) {
        return null;
      }
      int end = indexOf("-----END ", he + 5, n);
      int e;
      if (end < 0) {
        e = n;
      } else {
        int close = indexOf("-----", end + 9, end + 80);
        e = close < 0 ? n : close + 5;
      }
      return new Finding(i, e, Entities.PRIVATE_KEY, Builtin.PRIVATE_KEY.score());
    }
  }
}
