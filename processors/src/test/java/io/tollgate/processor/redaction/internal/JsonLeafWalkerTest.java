package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonText#visitLeaves} (the hand-written walker, with Jackson behind it) against {@link
 * JsonText#leaves} (Jackson alone): the same verdict on whether a text is JSON, and the same leaves
 * with the same fields, on generated documents, odd but valid ones and broken ones.
 */
class JsonLeafWalkerTest {

  private static final String[] ODD = {
    "[1E+9, -0, 0.5e-3, 1e5, -12.75E-2, 10]",
    "[01]",
    "[1.]",
    "[.5]",
    "[-]",
    "[1e]",
    "[NaN, 1]",
    "[Infinity]",
    "[\"a\"] [\"b\"]",
    "[\"a\"]x",
    "[\"a\"] ",
    " \r\n\t[ \"a\" ,\r\n \"b\" ]\n",
    "{\"a\\u0062c\": \"v\", \"k\": \"w\"}",
    "{\"password\": \"hunter2\", \"nested\": {\"token\": \"t0k3n-value\", \"x\": [\"y\"]}}",
    "// comment\n[\"a\"]",
    "[\"tab\there\"]",
    "[\"bad \\q escape\"]",
    "[\"\\uD83D\\uDE00 \\u00e9 \\/ \\b\\f\\n\\r\\t \\\\ \\\"\"]",
    "[\"\\u00G0\"]",
    "[\"unterminated]",
    "{\"a\" \"b\"}",
    "{\"a\":}",
    "{,}",
    "[,]",
    "[1,]",
    "{\"a\":1,}",
    "[true, false, null, trueish]",
    "[tru]",
    "{}",
    "[]",
    "[[[[]]]]",
    "{\"a\":{\"b\":{\"c\":[\"deep\"]}},\"d\":\"after\"}",
    "[\"\u2028\", \"\u00a0\"]",
    "[\u00a0\"a\"]",
    "[\"a\"\u000b]",
    "\u000b[\"a\"]",
    "['single']",
    "{a: \"b\"}",
    "[\"é\", {\"é\": \"ü\"}]",
  };

  @Test
  void sameLeavesAndVerdictAsJackson() {
    for (String s : ODD) {
      check(s);
    }
    check("[".repeat(70) + "\"deep\"" + "]".repeat(70));
    check("[".repeat(63) + "\"deep\"" + "]".repeat(63));
    check("[".repeat(1200) + "\"deeper than Jackson allows\"" + "]".repeat(1200));
    check("[\"" + "x".repeat(300_000) + "\", \"" + "y\\n".repeat(100_000) + "\"]");
    RedactionTexts texts = new RedactionTexts(5L);
    Random random = new Random(5L);
    int json = 0;
    int walked = 0;
    for (int k = 0; k < 3_000; k++) {
      String s = texts.json();
      if (random.nextInt(4) == 0) {
        // Broken: cut short, or a character dropped or added.
        int at = random.nextInt(s.length());
        s =
            switch (random.nextInt(3)) {
              case 0 -> s.substring(0, at);
              case 1 -> s.substring(0, at) + s.substring(at + 1);
              default ->
                  s.substring(0, at)
                      + "\"{}[],:\\ 0e-".charAt(random.nextInt(12))
                      + s.substring(at);
            };
      }
      if (check(s)) {
        json++;
      }
      if (JsonLeafWalker.get().walk(s, IGNORE)) {
        walked++;
      }
    }
    assertThat(json).isGreaterThan(1_500);
    // The walker itself takes most of them; Jackson only sees the odd ones (NaN in the generator).
    assertThat(walked).isGreaterThan(json / 2);
  }

  /**
   * The sparse rewrite (changed leaves only, the others copied from the parser's buffer) against
   * the full one (every leaf as a String), both Jackson.
   */
  @Test
  void sparseRewriteEqualsFullRewrite() {
    RedactionTexts texts = new RedactionTexts(11L);
    Random random = new Random(11L);
    String[] extra = {
      "[0, -7, 123456789012345678901234567890, \"a\", -0, \"b\"]",
      "[0, -7, 123456789012345678901234567890, \"a\", true, null, false, \"b\"]",
      "{ \"k\" : [ \"\\u0001\\u001F\\u007f\\/\" , { } , [ ] ] , \"\u00e9\u20ac\" : \"\ud83d\ude00\""
          + " }",
      "[1.5, \"x\"]",
      "[1e3, \"x\"]",
      "[0.0000001, \"x\"]",
    };
    String[] odd = {
      "<EMAIL_ADDRESS>",
      "\u0000\u0001\b\f\n\r\t\u001f\u007f",
      "\"quoted\" \\ back/slash",
      "é€😀\ud800",
      ""
    };
    int total = 0;
    for (int k = 0; k < 1_200; k++) {
      String s = k < extra.length ? extra[k] : texts.json();
      List<JsonText.Leaf> leaves = JsonText.leaves(s);
      if (leaves == null || leaves.isEmpty()) {
        continue;
      }
      List<String> full = new ArrayList<>();
      int[] indexes = new int[leaves.size()];
      String[] newLeaves = new String[leaves.size()];
      int count = 0;
      for (int leaf = 0; leaf < leaves.size(); leaf++) {
        String text = leaves.get(leaf).text();
        if (random.nextInt(3) == 0) {
          text = random.nextBoolean() ? odd[random.nextInt(odd.length)] : texts.text();
          indexes[count] = leaf;
          newLeaves[count++] = text;
        }
        full.add(text);
      }
      String expected = JsonText.rewrite(s, full);
      assertThat(JsonText.rewrite(s, indexes, newLeaves, count))
          .as("rewrite of %s", s)
          .isEqualTo(expected);
      total++;
    }
    assertThat(total).isGreaterThan(400);
  }

  private static final JsonText.LeafVisitor IGNORE =
      new JsonText.LeafVisitor() {
        @Override
        public void leaf(int index, char[] chars, int offset, int length, String field) {}

        @Override
        public void restart() {}
      };

  /** Asserts the walker agrees with Jackson on {@code s}; returns whether it is JSON. */
  private static boolean check(String s) {
    List<JsonText.Leaf> expected = JsonText.leaves(s);
    List<JsonText.Leaf> actual = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    boolean ok =
        JsonText.visitLeaves(
            s,
            new JsonText.LeafVisitor() {
              @Override
              public void leaf(int index, char[] chars, int offset, int length, String field) {
                indexes.add(index);
                actual.add(new JsonText.Leaf(new String(chars, offset, length), field));
              }

              @Override
              public void restart() {
                actual.clear();
                indexes.clear();
              }
            });
    String shown = s.length() > 300 ? s.substring(0, 300) + "…" : s;
    assertThat(ok).as("is JSON: %s", shown).isEqualTo(expected != null);
    if (ok) {
      assertThat(actual).as("leaves of %s", shown).isEqualTo(expected);
      for (int k = 0; k < indexes.size(); k++) {
        assertThat(indexes.get(k)).isEqualTo(k);
      }
    }
    return ok;
  }
}
