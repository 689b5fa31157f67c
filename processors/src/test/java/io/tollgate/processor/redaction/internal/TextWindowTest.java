package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A long text scanned from its {@link TextWindow} against the same text scanned whole: the same
 * findings, at the same offsets. On long prompts (prose with 2-, 3- and 4-byte characters, numbers,
 * versions, hex words, tokens that recognisers reject and skip) with generated entities and
 * near-misses after them, as JSON leaves in every escaping style the tests use and as plain text,
 * with all or some recognisers enabled.
 */
class TextWindowTest {

  private static final String[] PROSE = {
    "Summarise the ticket below for the on-call engineer, in three bullet points.",
    "Réponds en français, s'il te plaît — brièvement; merci!",
    "日本語で答えてください。必要なら、表を使ってください?",
    "Use the tools 😀 when needed; never guess 𝐀 values!",
    "Tabs\tand\r\nline breaks\nbetween words, and what next?",
    "The user's question follows, after the retrieved context:\n\n",
    "Ж, ü, ß, ×, and é again; \"quoted\" and back\\slashed / slashed.",
  };

  /** Prose the pre-filter stops at (or recognisers reject and skip): rare in a prompt. */
  private static final String[] TRICKY = {
    "Version 1.2.3.4.5 and build 10.0.19045 shipped (see 12.34.56, DE00 1234 5678).",
    "Hex words: dead beef cafe 1a2b.3c4d.5e6f.7 and 00:1A:2B:3C:4D:5E:6F, 2001:db8:::1.",
    "Call it in 10 minutes, or at 9:30; ask for room 4-201, order #55123.",
    "Price: 12 € or 3.50 $ (about 4%), on 2024-05-06 at 10:30:00.",
    "A path a::b::c and a URL https://example.com/docs?q=1 without credentials.",
    "Some words glued:like=this, password: none.",
  };

  @Test
  void windowedScanFindsWhatTheWholeScanFinds() {
    RedactionTexts texts = new RedactionTexts(77L);
    Random random = new Random(77L);
    int windows = 0;
    int withFindings = 0;
    for (int t = 0; t < 2_000; t++) {
      StringBuilder sb = new StringBuilder();
      int target = 1_000 + random.nextInt(6_000);
      while (sb.length() < target) {
        int r = random.nextInt(60);
        if (r == 0) {
          sb.append(texts.digitGroups());
        } else if (r == 1) {
          sb.append(texts.hexGroups());
        } else if (r == 2) {
          sb.append(TRICKY[random.nextInt(TRICKY.length)]);
        } else {
          sb.append(PROSE[random.nextInt(PROSE.length)]);
        }
        sb.append(random.nextInt(4) == 0 ? "\n" : " ");
      }
      // Then what a prompt with personal data ends with, and some of the prose again.
      for (int k = random.nextInt(3); k >= 0; k--) {
        sb.append(texts.text()).append(random.nextBoolean() ? " " : ", ");
      }
      for (int k = random.nextInt(3); k > 0; k--) {
        sb.append(PROSE[random.nextInt(PROSE.length)]).append(' ');
      }
      String text = sb.toString();
      EnumSet<Builtin> enabled =
          random.nextInt(3) == 0 ? texts.someBuiltins() : EnumSet.allOf(Builtin.class);
      TextScanner scanner =
          new TextScanner(enabled, List.of(), random.nextInt(4) == 0 ? List.of("::1") : List.of());
      boolean json = random.nextBoolean();
      byte[] raw = (json ? jsonLeaf(text, random) : text).getBytes(StandardCharsets.UTF_8);
      int r = check(scanner, raw, json);
      if (r > 0) {
        windows++;
      }
      if (r > 1) {
        withFindings++;
      }
    }
    assertThat(windows).isGreaterThan(400);
    assertThat(withFindings).as("windows with findings").isGreaterThan(200);
  }

  /**
   * Scans {@code raw} whole and from its window; returns 0 when no window was taken, 1 when one
   * was, 2 when it found something.
   */
  private static int check(TextScanner scanner, byte[] raw, boolean escaped) {
    String context = "content";
    char[] chars = new char[raw.length];
    int length = Utf8Json.decodeLeaf(raw, 0, raw.length, escaped, chars);
    List<Finding> whole = scanner.scan(chars, 0, length, context);
    int first = scanner.firstPossible(raw, 0, raw.length, context);
    if (first < 0) {
      assertThat(whole).isEmpty();
      return 0;
    }
    long window = TextWindow.of(raw, 0, first);
    if (window < 0) {
      return 0;
    }
    int windowFrom = (int) (window >>> 32);
    int loopFrom = (int) window;
    assertThat(loopFrom).isLessThanOrEqualTo(first - TextWindow.MARGIN);
    char[] part = new char[raw.length];
    int skipped = Utf8Json.decodeLeaf(raw, 0, windowFrom, escaped, part);
    int before = Utf8Json.decodeLeaf(raw, windowFrom, loopFrom, escaped, part, 0);
    assertThat(before)
        .as("the window keeps 128 characters before the loop's start, or starts at the text's")
        .isGreaterThanOrEqualTo(windowFrom == 0 ? 0 : 128);
    int n = before + Utf8Json.decodeLeaf(raw, loopFrom, raw.length, escaped, part, before);
    List<Finding> windowed = new ArrayList<>();
    for (Finding f : scanner.scanFrom(part, n, before)) {
      windowed.add(f.shift(skipped));
    }
    String shown = new String(chars, 0, length);
    assertThat(windowed).as("findings in %s", shown).isEqualTo(whole);
    return whole.isEmpty() ? 1 : 2;
  }

  /** {@code s} as a JSON string's contents, escaped as SDKs do (several styles mixed). */
  private static String jsonLeaf(String s, Random random) {
    StringBuilder sb = new StringBuilder();
    RedactionTexts.escapeJson(sb, s, random, true);
    return sb.toString();
  }
}
