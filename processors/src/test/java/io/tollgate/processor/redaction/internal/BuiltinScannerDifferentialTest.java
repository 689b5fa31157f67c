package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scanner against {@link ReferenceScanner}, its predecessor without pre-filters, on seeded
 * generated texts: same findings (positions, entity types, scores, order) and same redacted output,
 * for every context key kind, through both entry points, with all and with random subsets of the
 * recognisers.
 */
class BuiltinScannerDifferentialTest {

  private static final String[] CONTEXT_KEYS = {null, "content", "password", "token", "x-api-key"};

  private static final Anonymizer REPLACE =
      new Anonymizer(Map.of(), Operator.replace(""), new byte[0], 8);

  private static final class Pair {
    final BuiltinScanner scanner;
    final ReferenceScanner reference;

    Pair(EnumSet<Builtin> enabled) {
      this.scanner = new BuiltinScanner(enabled);
      this.reference = new ReferenceScanner(enabled);
    }
  }

  @Test
  void findsExactlyWhatTheReferenceFinds() {
    RedactionTexts texts = new RedactionTexts(20261122L);
    List<Pair> scanners = new ArrayList<>();
    scanners.add(new Pair(EnumSet.allOf(Builtin.class)));
    for (int k = 0; k < 6; k++) {
      scanners.add(new Pair(texts.someBuiltins()));
    }
    Map<String, Integer> byEntity = new java.util.TreeMap<>();
    int findings = 0;
    for (int t = 0; t < 20_000; t++) {
      String text = texts.text();
      Pair pair = scanners.get(t % 4 == 0 ? 1 + (t / 4) % 6 : 0);
      String key = CONTEXT_KEYS[t % CONTEXT_KEYS.length];
      List<Finding> expected = pair.reference.scan(text, key);
      assertSame(text, key, pair.scanner.scan(text, key), expected);
      // The char[] entry point, from inside a larger buffer (as a JSON parser hands leaves over).
      char[] buf = ("«" + text + "»").toCharArray();
      assertSame(text, key, pair.scanner.scan(buf, 1, text.length(), key), expected);
      for (Finding f : expected) {
        byEntity.merge(f.entityType(), 1, Integer::sum);
      }
      findings += expected.size();
    }
    // The generator must reach every recogniser, else the comparison proves little.
    assertThat(byEntity.keySet())
        .containsAll(
            List.of(
                Entities.EMAIL_ADDRESS,
                Entities.PHONE_NUMBER,
                Entities.CREDIT_CARD,
                Entities.US_SSN,
                Entities.IBAN_CODE,
                Entities.IP_ADDRESS,
                Entities.MAC_ADDRESS,
                Entities.URL,
                Entities.API_KEY,
                Entities.JWT,
                Entities.SECRET,
                Entities.PRIVATE_KEY));
    assertThat(findings).isGreaterThan(5_000);
  }

  @Test
  void longTextsAndScratchReuseAcrossSizes() {
    RedactionTexts texts = new RedactionTexts(7L);
    BuiltinScanner scanner = BuiltinScanner.all();
    ReferenceScanner reference = ReferenceScanner.all();
    for (int round = 0; round < 30; round++) {
      StringBuilder sb = new StringBuilder();
      // Up to 300k characters: past the largest scratch array a thread keeps.
      int target = round % 10 == 9 ? 300_000 : 200 + round * 997;
      while (sb.length() < target) {
        sb.append(texts.text()).append(' ');
      }
      String big = sb.toString();
      assertSame("(long)", null, scanner.scan(big), reference.scan(big));
      // A short text right after a long one: nothing of the long one may leak into it.
      String small = texts.text();
      assertSame(small, null, scanner.scan(small), reference.scan(small));
    }
  }

  @Test
  void scanningACallersBufferInPlaceSeesOnlyItsLengthNotWhatFollows() {
    RedactionTexts texts = new RedactionTexts(5L);
    BuiltinScanner scanner = BuiltinScanner.all();
    ReferenceScanner reference = ReferenceScanner.all();
    for (int i = 0; i < 2_000; i++) {
      String text = texts.text();
      // The rest of the buffer holds digits and an e-mail address, as a reused decode buffer
      // holds the end of a longer earlier value: a scan that reads past the length finds them.
      char[] buffer = (text + "4111 1111 1111 1111 jane@example.com 078-05-1120").toCharArray();
      assertSame(
          text,
          null,
          scanner.scan(buffer, 0, text.length(), null),
          reference.scan(text));
    }
  }

  @Test
  void eachEntityAtTheEdgesOfTheText() {
    RedactionTexts texts = new RedactionTexts(99L);
    BuiltinScanner scanner = BuiltinScanner.all();
    ReferenceScanner reference = ReferenceScanner.all();
    String[] around = {"", " ", "x", "é", "_", "\\n", "\\u00e9", "😀", "1", ":", "-", "@", "\""};
    for (int k = 0; k < 8_000; k++) {
      String e = texts.entity();
      String text = around[k % around.length] + e + around[(k / around.length) % around.length];
      for (String s : new String[] {e, text, e.substring(0, e.length() / 2)}) {
        assertSame(s, null, scanner.scan(s), reference.scan(s));
      }
    }
  }

  private static void assertSame(
      String text, String key, List<Finding> actual, List<Finding> expected) {
    assertThat(actual).as("findings in %s (key %s)", quoted(text), key).isEqualTo(expected);
    if (!text.startsWith("(")) {
      assertThat(REPLACE.apply(text, Findings.resolve(actual), (e, n) -> {}))
          .as("output for %s", quoted(text))
          .isEqualTo(REPLACE.apply(text, Findings.resolve(expected), (e, n) -> {}));
    }
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\n", "⏎") + "\"";
  }
}
