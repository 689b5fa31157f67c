package io.tollgate.benchmarks.processors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptCpuTimeTest {

  @Test
  void everyScriptsRequestDecodesAndItsMessagesAreJsonInItsScript() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (Map.Entry<String, String> script : ScriptCpuTime.SENTENCES.entrySet()) {
      byte[] wire = ScriptCpuTime.request(script.getValue()).toByteArray();
      TraceBatch batch = TraceBatch.ofWire(WireScan.of(wire));
      assertThat(batch.spanCount()).isEqualTo(100);
      batch.forEachSpan(
          span -> {
            String input = span.attributes().getString("gen_ai.input.messages");
            String output = span.attributes().getString("gen_ai.output.messages");
            try {
              JsonNode in = json.readTree(input);
              JsonNode out = json.readTree(output);
              String prompt = in.get(0).get("parts").get(0).get("content").asText();
              assertThat(prompt).startsWith(script.getValue());
              // Each "\\n" of the JSON is one character once decoded.
              assertThat(prompt.getBytes(StandardCharsets.UTF_8).length).isBetween(7500, 8400);
              assertThat(out.get(0).get("finish_reason").asText()).isEqualTo("stop");
            } catch (Exception e) {
              throw new AssertionError(script.getKey() + ": " + e, e);
            }
          });
    }
  }
}
