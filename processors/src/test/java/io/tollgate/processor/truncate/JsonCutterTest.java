package io.tollgate.processor.truncate;

import static io.tollgate.processor.truncate.TruncateProcessorTest.assertNoLoneSurrogate;
import static io.tollgate.processor.truncate.TruncateProcessorTest.cp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Generated message JSON with awkward text: every result is valid, fits and keeps structure. */
class JsonCutterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] ALPHABET = {
    "a", "b", " ", "\"", "\\", "\n", "\t", "\u0001", "é", "中", "\uD83D\uDE00", "\uD83C\uDDEB",
    "/", "\u2028"
  };

  private final JsonCutter cutter = new JsonCutter(new Cutter(TruncateConfig.DEFAULT_SUFFIX));

  @Test
  void generatedMessagesAlwaysComeOutValidAndWithinTheLimit() throws Exception {
    Random random = new Random(42);
    int cut = 0;
    for (int round = 0; round < 120; round++) {
      List<Map<String, Object>> messages = new ArrayList<>();
      int count = 1 + random.nextInt(6);
      for (int m = 0; m < count; m++) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", List.of("system", "user", "assistant", "tool").get(random.nextInt(4)));
        List<Object> parts = new ArrayList<>();
        for (int p = 0; p < 1 + random.nextInt(3); p++) {
          parts.add(Map.of("type", "text", "content", text(random, random.nextInt(2000))));
        }
        message.put("parts", parts);
        messages.add(message);
      }
      String json = JSON.writeValueAsString(messages);
      int limit = 200 + random.nextInt(4000);
      if (cp(json) <= limit) {
        continue;
      }
      String out = cutter.cut(json, limit);
      if (out == null) {
        continue; // the structure alone does not fit: the processor cuts it as text
      }
      cut++;
      assertThat(cp(out)).as("round %d", round).isLessThanOrEqualTo(limit);
      assertNoLoneSurrogate(out);
      JsonNode root = JSON.readTree(out);
      assertThat(root.size()).isEqualTo(messages.size());
      for (int m = 0; m < messages.size(); m++) {
        assertThat(root.get(m).get("role").asText()).isEqualTo(messages.get(m).get("role"));
        List<?> parts = (List<?>) messages.get(m).get("parts");
        assertThat(root.get(m).get("parts").size()).isEqualTo(parts.size());
        for (int p = 0; p < parts.size(); p++) {
          String original = (String) ((Map<?, ?>) parts.get(p)).get("content");
          String now = root.get(m).get("parts").get(p).get("content").asText();
          if (!now.equals(original)) {
            String kept = now.substring(0, now.lastIndexOf("…[truncated "));
            assertThat(original).startsWith(kept);
          }
        }
      }
    }
    assertThat(cut).isGreaterThan(40);
  }

  @Test
  void escapedWidthMatchesJacksonOutput() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      String s = text(random, random.nextInt(50));
      String quoted = JSON.writeValueAsString(s);
      assertThat(JsonCutter.escapedWidth(s, cp(s))).isEqualTo(cp(quoted) - 2);
    }
  }

  @Test
  void numbersAndOtherValuesSurviveAsWritten() {
    String json =
        "[{\"role\":\"user\",\"score\":1.10,\"big\":12345678901234567890,\"tiny\":1e-7,"
            + "\"ok\":true,\"none\":null,\"parts\":[{\"type\":\"text\",\"content\":\""
            + "x".repeat(500)
            + "\"}]}]";
    String out = cutter.cut(json, 200);
    assertThat(out)
        .startsWith(
            "[{\"role\":\"user\",\"score\":1.10,\"big\":12345678901234567890,\"tiny\":1E-7,"
                + "\"ok\":true,\"none\":null,\"parts\":[{\"type\":\"text\",\"content\":\"xxx")
        .endsWith(" chars]\"}]}]");
    assertThat(cp(out)).isBetween(190, 200);
  }

  @Test
  void nonJsonAndScalarJsonAreLeftToThePlainCutter() {
    assertThat(cutter.cut("not json at all", 5)).isNull();
    assertThat(cutter.cut("\"a long json string\"", 5)).isNull();
    assertThat(cutter.cut("[1, 2", 3)).isNull();
  }

  private static String text(Random random, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }
}
