package io.tollgate.processor.genainormalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappingTableTest {

  private final MappingTable table = MappingTable.builtIn();

  @Test
  void theShippedTableIsVersionedAndCoversTheCanonicalTargets() {
    assertThat(table.semconvVersion()).isEqualTo("1.41.1");
    assertThat(table.tableVersion()).isPositive();
    assertThat(table.targets().keySet())
        .contains(
            "gen_ai.operation.name",
            "gen_ai.provider.name",
            "gen_ai.request.model",
            "gen_ai.response.model",
            "gen_ai.response.finish_reasons",
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens",
            "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_creation.input_tokens",
            "gen_ai.usage.reasoning.output_tokens",
            "gen_ai.conversation.id",
            "gen_ai.workflow.name",
            "gen_ai.agent.name",
            "gen_ai.tool.name",
            "gen_ai.tool.call.id",
            "gen_ai.system_instructions",
            "gen_ai.input.messages",
            "gen_ai.output.messages",
            "user.id");
    List<String> order = List.copyOf(table.targets().keySet());
    // Output messages take their finish_reason from the resolved finish reasons.
    assertThat(order.indexOf("gen_ai.response.finish_reasons"))
        .isLessThan(order.indexOf("gen_ai.output.messages"));
  }

  @Test
  void everySourceBelongsToOneTargetAtMostPerCondition() {
    assertThat(table.rules("gen_ai.system")).hasSize(1);
    assertThat(table.rules("traceloop.entity.name")).hasSize(2);
    assertThat(table.rules("gen_ai.request.model")).isNull();
  }

  @Test
  void providerLookup() {
    assertThat(table.provider("OpenAI")).isEqualTo("openai");
    assertThat(table.provider("openai.responses")).isEqualTo("openai");
    assertThat(table.provider("google.vertex.chat")).isEqualTo("gcp.vertex_ai");
    assertThat(table.provider("az.ai.openai")).isEqualTo("azure.ai.openai");
    assertThat(table.provider(" Voyage ")).isEqualTo("voyage");
    assertThat(table.canonicalProvider("Voyage")).isEqualTo("Voyage");
  }

  @Test
  void finishReasonVocabulary() {
    assertThat(table.finishReason("max_tokens")).isEqualTo("length");
    assertThat(table.finishReason("MAX_TOKENS")).isEqualTo("length");
    assertThat(table.finishReason("end_turn")).isEqualTo("stop");
    assertThat(table.finishReason("tool_use")).isEqualTo("tool_call");
    assertThat(table.finishReason("SAFETY")).isEqualTo("content_filter");
    for (String canonical : List.of("stop", "length", "content_filter", "tool_call", "error")) {
      assertThat(table.finishReason(canonical)).isEqualTo(canonical);
    }
    assertThat(table.finishReason("other")).isNull();
  }

  @Test
  void aBrokenTableIsRefusedWithTheReason() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String base =
        "semconv_version: '1'\ntable_version: 1\nstrong_prefixes: ['gen_ai.']\n"
            + "providers: {}\nfinish_reasons: {}\n";
    assertThatThrownBy(
            () ->
                MappingTable.parse(
                    yaml.readTree(base + "mappings: [{to: a, type: nope, from: [{adhoc: b}]}]")))
        .hasMessageContaining("unknown value type \"nope\"");
    assertThatThrownBy(
            () ->
                MappingTable.parse(
                    yaml.readTree(base + "mappings: [{to: a, type: int, from: [{martian: b}]}]")))
        .hasMessageContaining("unknown dialect \"martian\"");
    assertThatThrownBy(
            () ->
                MappingTable.parse(
                    yaml.readTree(
                        base + "mappings: [{to: a, type: int, from: [{adhoc: b, when: never}]}]")))
        .hasMessageContaining("unknown condition \"never\"");
  }
}
