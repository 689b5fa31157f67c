package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte pre-filter against {@link ReferenceScanner}: whenever it says a value holds nothing, the
 * reference finds nothing in it, neither in the text as it is nor in any string leaf of it as JSON
 * (with the leaf's field name as its context). On generated texts, on entities next to non-ASCII
 * letters and non-letters of 2, 3 and 4 bytes and next to escapes, and on JSON documents written
 * with every escaping style SDKs use. The filter must also let clean prose through, else it saves
 * nothing.
 */
class BytePrefilterTest {

  private static final String[] CONTEXT_KEYS = {null, "content", "password", "token", "x-api-key"};

  /** Neighbours of an entity: word characters of every UTF-8 length, non-word ones, escapes. */
  private static final String[] AROUND = {
    "",
    " ",
    "x",
    "é", // 2 bytes, a letter
    "ü",
    "ß",
    "\u00a0", // 2 bytes, not a word character
    "×",
    "日本", // 3 bytes, letters
    "Ж",
    "—", // 3 bytes, not a word character
    "€",
    "\u2003",
    "😀", // 4 bytes: surrogates, never word characters
    "𝐀", // 4 bytes, a letter outside the BMP
    "_",
    "1",
    "\\n",
    "\\u00e9",
    "\\u2014",
    "\\b",
    "\\",
    ":",
    "-",
    "@",
    "\"",
    "/",
  };

  private final ReferenceScanner reference = ReferenceScanner.all();
  private final BuiltinScanner scanner = BuiltinScanner.all();

  private int passed;
  private int flaggedWithFindings;

  @Test
  void saysNothingOnlyWhereTheReferenceFindsNothing() {
    RedactionTexts texts = new RedactionTexts(20261122L);
    Random random = new Random(11);
    for (int t = 0; t < 8_000; t++) {
      String text = texts.text();
      check(text, CONTEXT_KEYS[t % CONTEXT_KEYS.length]);
      check(jsonString(text, random), null);
      check("[" + jsonString(text, random) + "]", CONTEXT_KEYS[t % CONTEXT_KEYS.length]);
    }
    assertThat(flaggedWithFindings).isGreaterThan(2_000);
    assertThat(passed).isGreaterThan(400);
  }

  @Test
  void entitiesNextToNonAsciiCharactersAndEscapes() {
    RedactionTexts texts = new RedactionTexts(99L);
    Random random = new Random(12);
    for (int k = 0; k < 6_000; k++) {
      String e = texts.entity();
      String left = AROUND[k % AROUND.length];
      String right = AROUND[(k / AROUND.length) % AROUND.length];
      String text = left + e + right;
      for (String s : new String[] {e, text, e.substring(0, e.length() / 2), left + "x " + e}) {
        check(s, null);
        check(jsonString(s, random), null);
        check("{\"content\":" + jsonString(s, random) + "}", null);
      }
    }
    // The brief's own examples: found through a non-ASCII neighbour, or not at all.
    for (String s :
        new String[] {
          "é4111 1111 1111 1111",
          "é 4111 1111 1111 1111",
          "—4111111111111111",
          "ü@x.com",
          "ü@example.com",
          "日本sk-abcdefghijklmnopqrstuvwxyz0123",
          "日本 sk-abcdefghijklmnopqrstuvwxyz0123",
          "😀sk-abcdefghijklmnopqrstuvwxyz0123",
          "𝐀AKIAIOSFODNN7EXAMPLE",
          "éAKIAIOSFODNN7EXAMPLE",
        }) {
      check(s, null);
      check(jsonString(s, random), null);
    }
    assertThat(flaggedWithFindings).isGreaterThan(10_000);
  }

  @Test
  void jsonDocumentsWithSecretFieldsAndEscapes() {
    RedactionTexts texts = new RedactionTexts(31L);
    Random random = new Random(13);
    for (int k = 0; k < 4_000; k++) {
      String doc = texts.json();
      check(doc, CONTEXT_KEYS[k % CONTEXT_KEYS.length]);
      // Field names that name a secret, in every escaping style, before clean values.
      String field = new String[] {"password", "api_key", "userToken", "é_secret", "x"}[k % 5];
      String value = new String[] {"hello there", "swordfish", "日本", ""}[(k / 5) % 4];
      String ws = new String[] {"", " ", "\n", "\t  "}[(k / 20) % 4];
      check(
          "{" + jsonString(field, random) + ws + ":" + ws + jsonString(value, random) + "}", null);
      check(
          "[{\"a\":{" + jsonString(field, random) + ":[" + jsonString(value, random) + "]}}]",
          null);
    }
    assertThat(passed).isGreaterThan(500);
  }

  @Test
  void cleanProseIsNeverDecoded() {
    String prose =
        "Please explain why the customer’s refund took 14 days. The café in Zürich (São Paulo"
            + " branch) said: “within 30 days of purchase” — naïve résumé, 東京 データ, straße. Be"
            + " brief, basic and polite; bearers of bad news add a note.\nKey points:\n- one\n- two";
    assertThat(BytePrefilter.mayFind(utf8(prose), 0, utf8(prose).length)).isFalse();
    String json =
        "[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\\nAnswer in"
            + " \\u00e9l\\u00e9gant French \\u2014 briefly.\"},{\"role\":\"user\",\"parts\":"
            + "[{\"type\":\"text\",\"content\":\"Why? \\\"Because\\\" a\\/b\"}]}]";
    assertThat(BytePrefilter.mayFind(utf8(json), 0, utf8(json).length)).isFalse();
    assertThat(reference.scan(json)).isEmpty();
  }

  /** Checks {@code text} as the processor would see it: its UTF-8, inside a larger array. */
  private void check(String text, String key) {
    byte[] utf8 = utf8(text);
    byte[] framed = new byte[utf8.length + 8];
    System.arraycopy(utf8, 0, framed, 3, utf8.length);
    // What follows the value must not count: digits and an address, as in a reused buffer.
    byte[] tail = utf8("41111111111@x.com");
    System.arraycopy(tail, 0, framed, 3 + utf8.length, Math.min(5, tail.length));
    boolean mayFind = scanner.mayFind(framed, 3, 3 + utf8.length, key);
    List<String> found = findings(text, key);
    if (!mayFind) {
      passed++;
      assertThat(found).as("pre-filter passed %s (key %s)", quoted(text), key).isEmpty();
    } else if (!found.isEmpty()) {
      flaggedWithFindings++;
    }
  }

  /** The reference's findings in the text and in each of its JSON leaves. */
  private List<String> findings(String text, String key) {
    List<String> out = new ArrayList<>();
    for (Finding f : reference.scan(text, key)) {
      out.add("text: " + f);
    }
    if (JsonText.looksLikeJson(text)) {
      List<JsonText.Leaf> leaves = JsonText.leaves(text);
      if (leaves != null) {
        for (JsonText.Leaf leaf : leaves) {
          String field = leaf.field() != null ? leaf.field() : key;
          for (Finding f : reference.scan(leaf.text(), field)) {
            out.add("leaf " + quoted(leaf.text()) + " of " + field + ": " + f);
          }
        }
      }
    }
    return out;
  }

  /**
   * {@code s} as a JSON string in one of the styles SDKs write: UTF-8 as it is, every non-ASCII
   * character as {@code \}{@code uXXXX} (Python's ensure_ascii), '/' escaped (PHP), short escapes
   * for controls, any character as {@code \}{@code uXXXX} (Go's HTML-safe escapes), or mixed.
   */
  private static String jsonString(String s, Random random) {
    int style = random.nextInt(6);
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int st = style == 4 ? random.nextInt(6) : style;
      if (st == 5 && random.nextInt(3) == 0) {
        // Any character as an escape, ASCII too: Go escapes '<', '>' and '&' so.
        sb.append(String.format("\\u%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append(st == 3 ? "\\t" : "\\u0009");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\b') {
        sb.append("\\b");
      } else if (c == '\f') {
        sb.append("\\f");
      } else if (c < 0x20 || (c > 126 && st == 1)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else if (c == '/' && st == 2) {
        sb.append("\\/");
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\n", "⏎") + "\"";
  }
}
