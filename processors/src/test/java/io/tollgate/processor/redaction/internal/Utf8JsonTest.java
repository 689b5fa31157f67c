package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8Json} (the walker on a document's UTF-8 bytes) against {@link JsonLeafWalker} (the
 * walker on its characters, itself held to Jackson by {@code JsonLeafWalkerTest}) and {@link
 * JsonText#rewrite} (Jackson's generator): whenever it takes a document, the char walker takes it
 * too, with the same leaves, characters and fields; a document it calls canonical is the one
 * Jackson writes back, and splicing new leaves into its bytes gives Jackson's rewrite byte for
 * byte; and a leaf whose raw bytes the pre-filter clears holds nothing for the reference scanner.
 * On generated documents in every escaping style the tests use (with 2-, 3- and 4-byte characters,
 * raw and as escapes), their Jackson-written forms, odd and broken ones.
 */
class Utf8JsonTest {

  private static final String[] ODD = {
    "[1E+9, -0, 0.5e-3, 1e5, -12.75E-2, 10]",
    "[1,-0,2]",
    "[0,-7,123456789012345678901234567890,\"a\"]",
    "[01]",
    "[1.]",
    "[-]",
    "[NaN, 1]",
    "[\"a\"] [\"b\"]",
    "[\"a\"]x",
    "[\"a\"] ",
    " [\"a\"]",
    " \r\n\t[ \"a\" ,\r\n \"b\" ]\n",
    "{\"a\\u0062c\": \"v\", \"k\": \"w\"}",
    "{\"password\":\"hunter2\",\"nested\":{\"token\":\"t0k3n-value\",\"x\":[\"y\"]}}",
    "[\"tab\there\"]",
    "[\"bad \\q escape\"]",
    "[\"\\uD83D\\uDE00 \\u00e9 \\/ \\b\\f\\n\\r\\t \\\\ \\\"\"]",
    "[\"\\ud800\"]",
    "[\"\\u00G0\"]",
    "[\"unterminated]",
    "{\"a\":}",
    "[1,]",
    "[true,false,null,\"x\"]",
    "[tru]",
    "{}",
    "[]",
    "\"top-level string\"",
    "{\"a\":{\"b\":{\"c\":[\"deep\"]}},\"d\":\"after\"}",
    "[\"\u2028\",\"\u00a0\",\"\u007f\"]",
    "[\u00a0\"a\"]",
    "\u000b[\"a\"]",
    "[\"é\",{\"é\":\"ü\"},{\"日本\":\"😀 𝐀\"}]",
    "[\"\\\"\\\\\\b\\f\\n\\r\\t\"]",
    "[\"\\u0001\\u001f\\u001F\\u0022\\u005c\\u007f\\u0080\\u20ac\"]",
  };

  private static final String[] NEW_LEAVES = {
    "",
    "<EMAIL_ADDRESS>",
    "\u0000\u0001\b\f\n\r\t\u000b\u001f\u007f",
    "\"quoted\" \\ back/slash",
    "é€😀 𝐀 \u2028\u00a0",
    "lone \ud800 surrogate",
    "lone \udc00 low",
  };

  private int taken;
  private int canonical;
  private int spliced;
  private int cleared;
  private int beforeFirst;
  private int straddling;

  @Test
  void takesOnlyWhatTheCharWalkerTakesAndSplicesAsJacksonWrites() {
    RedactionTexts texts = new RedactionTexts(2026L);
    Random random = new Random(2026L);
    for (String s : ODD) {
      check(s, random, texts);
      check(canonicalForm(s), random, texts);
    }
    for (int k = 0; k < 4_000; k++) {
      String s = texts.json();
      if (random.nextInt(5) == 0) {
        int at = random.nextInt(s.length());
        s = random.nextBoolean() ? s.substring(0, at) : s.substring(0, at) + s.substring(at + 1);
      }
      check(s, random, texts);
      // As SDKs and Jackson write it: compact, only the short escapes.
      check(canonicalForm(s), random, texts);
    }
    for (int k = 0; k < 1_500; k++) {
      String s = messages(texts, random);
      check(s, random, texts);
      check(canonicalForm(s), random, texts);
    }
    assertThat(taken).isGreaterThan(2_000);
    assertThat(canonical).isGreaterThan(600);
    assertThat(spliced).isGreaterThan(500);
    assertThat(cleared).isGreaterThan(150);
    assertThat(beforeFirst).isGreaterThan(500);
    assertThat(straddling).isGreaterThan(500);
  }

  /**
   * {@link Utf8Json#toRawOffsets}: the byte offset of char {@code c} of a leaf (or of plain UTF-8)
   * is where the first {@code c} chars end when decoded, and an offset inside a surrogate pair is
   * refused.
   */
  @Test
  void rawOffsetsAreWhereTheCharsEnd() {
    RedactionTexts texts = new RedactionTexts(77L);
    Random random = new Random(77L);
    int[] checked = new int[2];
    for (int k = 0; k < 1_500; k++) {
      String s = k % 2 == 0 ? messages(texts, random) : texts.json();
      if (hasLoneSurrogate(s)) {
        continue; // not what a value's bytes decode to
      }
      byte[] doc = s.getBytes(StandardCharsets.UTF_8);
      Utf8Json.get()
          .walk(
              doc,
              0,
              doc.length,
              (index, b, from, to, escaped, field) -> {
                char[] chars = new char[to - from];
                int n = Utf8Json.decodeLeaf(b, from, to, escaped, chars);
                checkRawOffsets(b, from, to, true, chars, n, escaped, random);
                checked[0]++;
              });
      // The same text as plain UTF-8: a backslash is one char there.
      char[] chars = s.toCharArray();
      checkRawOffsets(doc, 0, doc.length, false, chars, chars.length, false, random);
      checked[1]++;
    }
    assertThat(checked[0]).isGreaterThan(3_000);
  }

  private static void checkRawOffsets(
      byte[] b,
      int from,
      int to,
      boolean json,
      char[] chars,
      int n,
      boolean escaped,
      Random random) {
    int count = random.nextInt(6);
    int[] at = new int[count];
    for (int k = 0; k < count; k++) {
      at[k] = random.nextInt(n + 1);
    }
    java.util.Arrays.sort(at);
    int[] raw = at.clone();
    boolean splits = false;
    for (int c : at) {
      splits |= c > 0 && c < n && Character.isHighSurrogate(chars[c - 1]);
    }
    boolean ok = Utf8Json.toRawOffsets(b, from, to, json, raw, count);
    assertThat(ok).as("offsets %s", java.util.Arrays.toString(at)).isEqualTo(!splits);
    if (!ok) {
      return;
    }
    for (int k = 0; k < count; k++) {
      char[] prefix = new char[raw[k] - from];
      int m =
          json
              ? Utf8Json.decodeLeaf(b, from, raw[k], escaped, prefix)
              : Utf8Text.decode(b, from, raw[k] - from, prefix);
      assertThat(new String(prefix, 0, m)).isEqualTo(new String(chars, 0, at[k]));
    }
  }

  /**
   * {@link Utf8Json#writeUtf8}: what {@code getBytes(UTF_8)} gives, or false for a lone surrogate;
   * {@link Utf8Json#encodedLength} counts what is written, plain and escaped.
   */
  @Test
  void writeUtf8IsStandardUtf8AndRefusesLoneSurrogates() {
    RedactionTexts texts = new RedactionTexts(78L);
    Utf8Json.ByteSink out = new Utf8Json.ByteSink(4);
    for (int k = 0; k < 500; k++) {
      String s = texts.text() + "é日😀𝐀\\\"\n";
      if (hasLoneSurrogate(s)) {
        continue;
      }
      out.reset();
      assertThat(Utf8Json.writeUtf8(s, out)).isTrue();
      assertThat(java.util.Arrays.copyOf(out.array(), out.size()))
          .isEqualTo(s.getBytes(StandardCharsets.UTF_8));
      assertThat(Utf8Json.encodedLength(s, false)).isEqualTo(out.size());
      // And as a JSON leaf: the escaped length is what writeLeaf writes.
      String leaf = s + "\u0001\b\t\f\r\u001f\u007f";
      out.reset();
      assertThat(Utf8Json.writeLeaf(leaf, out)).isTrue();
      assertThat(Utf8Json.encodedLength(leaf, true)).isEqualTo(out.size());
    }
    for (String lone : new String[] {"a\uD800", "\uDC00b", "x\uD83Dy"}) {
      out.reset();
      assertThat(Utf8Json.writeUtf8(lone, out)).as(lone).isFalse();
      assertThat(Utf8Json.encodedLength(lone, false)).isEqualTo(-1);
      assertThat(Utf8Json.encodedLength(lone, true)).isEqualTo(-1);
    }
  }

  /** Bytes that are not well-formed UTF-8 are never taken: the char path decides on them. */
  @Test
  void malformedUtf8IsNotTaken() {
    byte[][] docs = {
      {'[', '"', (byte) 0xC3, '"', ']'},
      {'[', '"', (byte) 0xC0, (byte) 0x80, '"', ']'},
      {'[', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'},
      {'[', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', ']'},
      {'{', '"', (byte) 0xFF, '"', ':', '"', 'x', '"', '}'},
      {'[', '"', 'a', 'b', 'c', 'd', 'e', 'f', 'g', (byte) 0x80, '"', ']'},
    };
    for (byte[] doc : docs) {
      assertThat(Utf8Json.get().walk(doc, 0, doc.length, (i, b, f, t, e, field) -> {})).isFalse();
    }
  }

  /** Prose without personal data: words of 1 to 4 UTF-8 bytes, punctuation, escapes. */
  private static final String[] PROSE = {
    "Summarise the ticket below for the on-call engineer.",
    "Réponds en français, s'il te plaît — brièvement.",
    "日本語で答えてください。",
    "Use the tools 😀 when needed; never guess 𝐀 values.",
    "Line one\\nLine two\\n\\tindented \\\\ and a \\\"quote\\\"",
    "Prices: 12 € or 3.50 $ (about 4%).",
    "The user's question follows, after the retrieved context:\\n\\n",
    "Ж, ü, ß, ×, and \\u00e9 as an escape, \\/ as another, \\u001f as a third.",
  };

  /** A GenAI messages document: clean prose in most leaves, a generated text in some. */
  private static String messages(RedactionTexts texts, Random random) {
    StringBuilder sb = new StringBuilder("[");
    int n = 1 + random.nextInt(5);
    for (int m = 0; m < n; m++) {
      if (m > 0) {
        sb.append(',');
      }
      sb.append("{\"role\":\"").append(m == 0 ? "system" : "user").append("\",\"content\":\"");
      int parts = 1 + random.nextInt(4);
      for (int p = 0; p < parts; p++) {
        if (random.nextInt(6) == 0) {
          sb.append(
              texts
                  .text()
                  .replace("\\", "\\\\")
                  .replace("\"", "\\\"")
                  .replace("\n", "\\n")
                  .replaceAll("[\\x00-\\x1f]", " "));
        } else {
          sb.append(PROSE[random.nextInt(PROSE.length)]);
        }
        sb.append(' ');
      }
      sb.append("\"}");
    }
    return sb.append(']').toString();
  }

  /** The Jackson-written form of {@code s}, or {@code s} when it is not JSON. */
  private static String canonicalForm(String s) {
    List<JsonText.Leaf> leaves = JsonText.leaves(s);
    if (leaves == null) {
      return s;
    }
    List<String> texts = new ArrayList<>();
    for (JsonText.Leaf leaf : leaves) {
      texts.add(leaf.text());
    }
    return JsonText.rewrite(s, texts);
  }

  private record RawLeaf(int from, int to, boolean escaped, String text, String field) {}

  private void check(String s, Random random, RedactionTexts texts) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    String doc = new String(utf8, StandardCharsets.UTF_8); // what the char path decodes
    // Framed inside a larger array, as a decoded value aliases the request's bytes.
    byte[] framed = new byte[utf8.length + 9];
    int from = 5;
    System.arraycopy(utf8, 0, framed, from, utf8.length);
    framed[from - 1] = '[';
    framed[from + utf8.length] = ']';
    List<RawLeaf> raw = new ArrayList<>();
    Utf8Json walker = Utf8Json.get();
    boolean ok =
        walker.walk(
            framed,
            from,
            from + utf8.length,
            (index, b, f, t, escaped, field) -> {
              assertThat(index).isEqualTo(raw.size());
              char[] out = new char[t - f];
              int n = Utf8Json.decodeLeaf(b, f, t, escaped, out);
              raw.add(new RawLeaf(f - from, t - from, escaped, new String(out, 0, n), field));
            });
    String shown = doc.length() > 300 ? doc.substring(0, 300) + "…" : doc;
    if (!ok) {
      return;
    }
    taken++;
    boolean isCanonical = walker.canonical();
    List<JsonText.Leaf> expected = new ArrayList<>();
    boolean charWalker =
        JsonText.looksLikeJson(doc)
            && JsonLeafWalker.get()
                .walk(
                    doc,
                    new JsonText.LeafVisitor() {
                      @Override
                      public void leaf(
                          int index, char[] chars, int offset, int length, String field) {
                        expected.add(new JsonText.Leaf(new String(chars, offset, length), field));
                      }

                      @Override
                      public void restart() {
                        expected.clear();
                      }
                    });
    assertThat(charWalker).as("the char walker takes %s", shown).isTrue();
    List<JsonText.Leaf> actual = new ArrayList<>();
    for (RawLeaf r : raw) {
      actual.add(new JsonText.Leaf(r.text(), r.field()));
    }
    assertThat(actual).as("leaves of %s", shown).isEqualTo(expected);

    List<String> same = new ArrayList<>();
    for (JsonText.Leaf leaf : expected) {
      same.add(leaf.text());
    }
    if (isCanonical) {
      assertThat(JsonText.rewrite(doc, same)).as("canonical: %s", shown).isEqualTo(doc);
    }

    // The per-leaf pre-filter: a cleared leaf holds nothing, with any set of recognisers.
    EnumSet<Builtin> enabled =
        random.nextBoolean() ? EnumSet.allOf(Builtin.class) : texts.someBuiltins();
    BuiltinScanner scanner = new BuiltinScanner(enabled);
    ReferenceScanner reference = new ReferenceScanner(enabled);
    for (RawLeaf r : raw) {
      if (!scanner.mayFind(framed, from + r.from(), from + r.to(), r.field())) {
        cleared++;
        assertThat(reference.scan(r.text(), r.field()))
            .as("leaf %s of %s under %s", r.text(), shown, enabled)
            .isEmpty();
      }
    }

    // Leaves that end before the pre-filter's first trigger over the whole are clear on their own.
    int first = BytePrefilter.firstTrigger(framed, from, from + utf8.length);
    assertThat(BytePrefilter.mayFind(framed, from, from + utf8.length)).isEqualTo(first >= 0);
    for (RawLeaf r : raw) {
      int lf = from + r.from();
      int lt = from + r.to();
      int own = BytePrefilter.firstTrigger(framed, lf, lt);
      if (first < 0 || lt <= first) {
        beforeFirst++;
        assertThat(own)
            .as("leaf %s before the first trigger %d of %s", r.text(), first - from, shown)
            .isEqualTo(-1);
      } else if (lf < first) {
        // The leaf holding the first trigger: its own walk may start there.
        straddling++;
        assertThat(own < 0 || own >= first).as("leaf %s of %s", r.text(), shown).isTrue();
        int resumed = BytePrefilter.firstTrigger(framed, lf, lt, first);
        if (own >= 0) {
          assertThat(resumed).as("leaf %s of %s", r.text(), shown).isBetween(first, own);
        } else {
          assertThat(resumed < 0 || resumed >= first).as("leaf %s of %s", r.text(), shown).isTrue();
        }
      }
    }

    if (!isCanonical || raw.isEmpty()) {
      return;
    }
    canonical++;
    int[] rawFrom = new int[raw.size()];
    int[] rawTo = new int[raw.size()];
    int[] keepBefore = new int[raw.size()];
    int[] keepAfter = new int[raw.size()];
    int[] oldLength = new int[raw.size()];
    String[] leaves = new String[raw.size()];
    List<String> full = new ArrayList<>();
    boolean lone = false;
    for (int k = 0; k < raw.size(); k++) {
      rawFrom[k] = raw.get(k).from();
      rawTo[k] = raw.get(k).to();
      String text = raw.get(k).text();
      oldLength[k] = text.length();
      keepBefore[k] = -1;
      if (random.nextInt(3) == 0) {
        String old = text;
        int r = random.nextInt(3);
        String middle =
            random.nextBoolean() ? NEW_LEAVES[random.nextInt(NEW_LEAVES.length)] : texts.text();
        if (r == 0 || old.isEmpty()) {
          text = middle;
        } else {
          // As the anonymizer writes: the text around the findings kept, the middle replaced.
          int a = random.nextInt(old.length() + 1);
          int z = a + random.nextInt(old.length() - a + 1);
          text = old.substring(0, a) + middle + old.substring(z);
          if (r == 1) {
            keepBefore[k] = a;
            keepAfter[k] = z;
          }
        }
        leaves[k] = text;
        lone |= hasLoneSurrogate(text);
      }
      full.add(text);
    }
    Utf8Json.ByteSink out = new Utf8Json.ByteSink(16);
    boolean done =
        Utf8Json.splice(
            framed, from, from + utf8.length, rawFrom, rawTo, leaves, leaves.length, out);
    assertThat(done).as("spliced %s", shown).isEqualTo(!lone);
    byte[] want = done ? JsonText.rewrite(doc, full).getBytes(StandardCharsets.UTF_8) : null;
    if (done) {
      assertSameBytes(out.toByteArray(), want, shown);
      spliced++;
    }
    boolean kept =
        Utf8Json.splice(
            framed,
            from,
            from + utf8.length,
            rawFrom,
            rawTo,
            leaves,
            keepBefore,
            keepAfter,
            oldLength,
            leaves.length,
            out);
    if (kept) {
      assertThat(done).isTrue();
      assertSameBytes(out.toByteArray(), want, shown);
    }
  }

  private static void assertSameBytes(byte[] actual, byte[] want, String shown) {
    assertThat(new String(actual, StandardCharsets.UTF_8))
        .as("splice of %s", shown)
        .isEqualTo(new String(want, StandardCharsets.UTF_8));
    assertThat(actual).isEqualTo(want);
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
