package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pre-filter's eight-bytes-per-step walk against the byte-at-a-time walk it replaced ({@link
 * BytePrefilterReference}): the same first position, or -1, for every text, window and start
 * position. Texts are glued from pieces that end the skim or pass a test (escapes, underscores,
 * every special byte, pairs that start a token, digit runs, well-formed characters of 2, 3 and 4
 * bytes and every class of malformed UTF-8) at random offsets, so that each lands on every position
 * of an eight-byte step and straddles its end; the window is cut out of a larger array whose
 * surroundings are noise.
 */
class BytePrefilterEquivalenceTest {

  /** Pieces of text, ASCII and UTF-8, that the walk treats differently. */
  private static final String[] PIECES = {
    " ",
    " ",
    " ",
    "  ",
    "the ",
    "customer ",
    "refund ",
    "a",
    "of",
    "ok",
    "policy",
    "please",
    "explain",
    "subscription",
    "within",
    "days",
    "I",
    "The",
    "Please",
    "Be",
    "SSN",
    "GB",
    "DE89",
    "GB82WEST",
    "AB12",
    "IBAN",
    "sk-",
    "sk-abcdefghijklmnopqrstuvwxyz0123",
    "sk",
    "skip",
    "rk_live_",
    "ghp_",
    "ghost",
    "glpat-",
    "xoxb-",
    "xapp-",
    "hf_",
    "npm_",
    "AKIA",
    "AKIAIOSFODNN7EXAMPLE",
    "AIza",
    "eyJ",
    "eyJhbGciOi",
    "eye",
    "Bearer ",
    "bearer\\t",
    "BEARER  ",
    "Basic ",
    "basic",
    "abcdefghijklmnop",
    "QWxhZGRpbjpvcGVu",
    "1",
    "12",
    "1234",
    "12345678",
    "4111 1111 1111 1111",
    "555-123-4567",
    "(555) 123-4567",
    "+1 555",
    "+",
    "(",
    ")",
    "123-45-6789",
    "10.0.0.1",
    "1.2.3",
    "192.168.",
    ".",
    "..",
    ":",
    "::",
    "://",
    ":\\/\\/",
    "=",
    "-",
    "--",
    "-----BEGIN ",
    "@",
    "@x",
    "a@b.com",
    "x@",
    "\\",
    "\\n",
    "\\t",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u0041",
    "\\u00e9",
    "\\u2014",
    "\\u007f",
    "\\u0040",
    "\\u00",
    "_",
    "__",
    "_x",
    "x_",
    "a_b",
    "snake_case",
    "__init__",
    "de:ad",
    "00:1A:2B:3C:4D:5E",
    "00-1a-2b",
    "0a1b.2c3d.4e5f",
    "fe80::1",
    "2001:db8::",
    "abc:",
    "ff-",
    "password",
    "password:",
    "api_key=",
    "\"token\": ",
    "secret\\\":",
    "x-api-key",
    "passwd",
    ",",
    ";",
    "!",
    "?",
    "'",
    "\"",
    "{",
    "}",
    "[",
    "]",
    "\n",
    "\t",
    "\r",
    "/",
    "#",
    "$",
    "%",
    "&",
    "*",
    "<",
    ">",
    "^",
    "`",
    "|",
    "~",
    "é",
    "ü",
    "ß",
    "\u00a0",
    "×",
    "café",
    "Zürich",
    "naïve",
    "日本",
    "東京",
    "データ",
    "—",
    "€",
    "\u2003",
    "Ж",
    "Клиент",
    "спросил",
    "ё1",
    "Ωμέγα@",
    "😀",
    "𝐀",
    "é4111111111111111",
    "日本sk-"
  };

  /** Pieces that pass no test: what most of a clean prompt is made of. */
  private static final String[] CLEAN = {
    " ",
    " ",
    " ",
    "the",
    "customer",
    "refund",
    "policy",
    "within",
    "days",
    "of",
    "a",
    "purchase",
    "support",
    "answer",
    "politely",
    "concisely",
    ", ",
    ". ",
    "? ",
    "\n",
    "\\n",
    "\\\"",
    "'",
    "(x)",
    "The",
    "café",
    "Zürich",
    "東京",
    "データ",
    "—",
    "naïve",
    "résumé",
    "доставки",
    "Премиум-плана",
    "Ελληνικά",
    "😀",
    "abcdefghijklmno",
    "14",
    "30"
  };

  /** Byte sequences that are not well-formed UTF-8, each class the walk must return at. */
  private static final byte[][] MALFORMED = {
    {(byte) 0xC0, (byte) 0x80}, // overlong 2 bytes
    {(byte) 0xC1, (byte) 0xBF},
    {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong 3 bytes
    {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},
    {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // overlong 4 bytes
    {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a high surrogate
    {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, // a low surrogate
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
    {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xFF},
    {(byte) 0xFE},
    {(byte) 0x80}, // stray continuation bytes
    {(byte) 0xBF, (byte) 0x80},
    {(byte) 0xC3}, // truncated
    {(byte) 0xE6, (byte) 0x97},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
    {(byte) 0xC3, 'a'}, // a lead byte before ASCII
    {(byte) 0xE6, (byte) 0x97, ' '},
  };

  @Test
  void sameFirstPositionAsTheByteWalkOnGluedPieces() {
    Random random = new Random(20261122);
    int found = 0;
    int none = 0;
    for (int t = 0; t < 60_000; t++) {
      double odd = new double[] {0.0, 0.01, 0.04, 0.2, 1.0}[t % 5];
      byte[] text = glued(random, odd, t % 3 == 0 ? 0.0 : 0.01, 1 + random.nextInt(96));
      int r = compareEverywhere(text, random);
      if (r >= 0) {
        found++;
      } else {
        none++;
      }
    }
    // Both answers are common, else the comparison proves little.
    assertThat(found).isGreaterThan(20_000);
    assertThat(none).isGreaterThan(15_000);
  }

  @Test
  void sameFirstPositionOnLongCleanProseWithOneOddPiece() {
    // Clean prose, where the walk skims longest, with one piece at every offset of a long text.
    Random random = new Random(7);
    String[] words = {"the", "customer", "refund", "policy", "within", "days", "of", "purchase"};
    StringBuilder prose = new StringBuilder();
    while (prose.length() < 300) {
      prose.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? ", " : " ");
    }
    byte[] clean = prose.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(BytePrefilterReference.firstTrigger(clean, 0, clean.length, 0)).isEqualTo(-1);
    assertThat(BytePrefilter.firstTrigger(clean, 0, clean.length)).isEqualTo(-1);
    for (int at = 0; at <= clean.length; at++) {
      for (int k = 0; k < PIECES.length + MALFORMED.length; k++) {
        byte[] piece =
            k < PIECES.length
                ? PIECES[k].getBytes(StandardCharsets.UTF_8)
                : MALFORMED[k - PIECES.length];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(clean, 0, at);
        out.writeBytes(piece);
        out.write(clean, at, clean.length - at);
        byte[] text = out.toByteArray();
        assertSame(text, 0, text.length, 0);
        assertSame(text, 0, Math.min(text.length, at + piece.length + 3), 0);
      }
    }
  }

  @Test
  void sameFirstPositionOnTheRedactionTexts() {
    RedactionTexts texts = new RedactionTexts(5L);
    Random random = new Random(17);
    for (int t = 0; t < 6_000; t++) {
      String s = t % 3 == 0 ? texts.json() : texts.text();
      compareEverywhere(s.getBytes(StandardCharsets.UTF_8), random);
    }
  }

  /**
   * Compares the walks on {@code text} framed by noise: over the whole, from a few start positions,
   * and over a few windows. Returns the answer over the whole.
   */
  private static int compareEverywhere(byte[] text, Random random) {
    int lead = random.nextInt(9);
    byte[] framed = new byte[lead + text.length + random.nextInt(12)];
    random.nextBytes(framed);
    System.arraycopy(text, 0, framed, lead, text.length);
    int from = lead;
    int to = lead + text.length;
    int whole = assertSame(framed, from, to, from);
    for (int k = 0; k < 3; k++) {
      int start = from + random.nextInt(text.length + 1);
      assertSame(framed, from, to, start);
      int f = from + random.nextInt(text.length + 1);
      int e = f + random.nextInt(to - f + 1);
      assertSame(framed, f, e, f);
      assertSame(framed, f, e, f + random.nextInt(e - f + 1));
    }
    return whole;
  }

  private static int assertSame(byte[] b, int from, int to, int start) {
    int expected = BytePrefilterReference.firstTrigger(b, from, to, start);
    int actual = BytePrefilter.firstTrigger(b, from, to, start);
    if (actual != expected) {
      assertThat(actual)
          .as("firstTrigger of %s [%d, %d) from %d", hex(b, from, to), from, to, start)
          .isEqualTo(expected);
    }
    if (start == from) {
      assertThat(BytePrefilter.mayFind(b, from, to)).isEqualTo(expected >= 0);
    }
    return expected;
  }

  /**
   * {@code n} pieces: clean ones, each odd one with chance {@code odd}, each malformed sequence
   * with chance {@code malformed}.
   */
  private static byte[] glued(Random random, double odd, double malformed, int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int k = 0; k < n; k++) {
      double r = random.nextDouble();
      if (r < malformed) {
        out.writeBytes(MALFORMED[random.nextInt(MALFORMED.length)]);
      } else if (r < malformed + odd) {
        out.writeBytes(PIECES[random.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
      } else {
        out.writeBytes(CLEAN[random.nextInt(CLEAN.length)].getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  private static String hex(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int k = from; k < to; k++) {
      int c = b[k] & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02X", c));
      }
    }
    return sb.toString();
  }
}
