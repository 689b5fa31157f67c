package io.tollgate.processor.genainormalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.CustomMapping;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.CustomType;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Binding as the config loader does it: snake_case YAML deep-merged over the defaults. */
class GenAiNormalizeConfigTest {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static GenAiNormalizeConfig bind(String yaml) throws Exception {
    ObjectNode tree = YAML.valueToTree(GenAiNormalizeConfig.defaults());
    JsonNode user = YAML.readTree(yaml);
    if (user != null && user.isObject()) {
      merge(tree, (ObjectNode) user);
    }
    return YAML.treeToValue(tree, GenAiNormalizeConfig.class);
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = into.get(e.getKey());
      if (existing != null && existing.isObject() && e.getValue().isObject()) {
        merge((ObjectNode) existing, (ObjectNode) e.getValue());
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  @Test
  void defaultsSerialiseWithTheDocumentedKeys() {
    JsonNode tree = YAML.valueToTree(GenAiNormalizeConfig.defaults());
    assertThat(tree.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "remove_originals",
                "overwrite", "sources", "custom_mappings", "rename_spans", "finish_reasons");
    assertThat(tree.get("sources").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "otel_deprecated", "openllmetry", "openinference", "vercel_ai", "adhoc");
    assertThat(tree.get("finish_reasons").asText()).isEqualTo("conventions");
    assertThat(tree.get("remove_originals").asBoolean()).isTrue();
    assertThat(tree.get("overwrite").asBoolean()).isFalse();
  }

  @Test
  void aPartialSectionKeepsTheOtherDefaults() throws Exception {
    GenAiNormalizeConfig c =
        bind(
            "sources:\n"
                + "  openinference: false\n"
                + "rename_spans: true\n"
                + "finish_reasons: as_sent\n"
                + "custom_mappings:\n"
                + "  - from: app.llm.model\n"
                + "    to: gen_ai.request.model\n"
                + "  - {from: app.tokens, to: gen_ai.usage.input_tokens, type: int}\n");

    assertThat(c.removeOriginals()).isTrue();
    assertThat(c.renameSpans()).isTrue();
    assertThat(c.finishReasons()).isEqualTo(FinishReasons.AS_SENT);
    assertThat(c.sources().openinference()).isFalse();
    assertThat(c.sources().vercelAi()).isTrue();
    assertThat(c.sources().otelDeprecated()).isTrue();
    assertThat(c.customMappings())
        .containsExactly(
            new CustomMapping("app.llm.model", "gen_ai.request.model", CustomType.AUTO),
            new CustomMapping("app.tokens", "gen_ai.usage.input_tokens", CustomType.INT));
    ConfigIssues issues = new ConfigIssues();
    c.validate(issues);
    assertThat(issues.issues()).isEmpty();
  }

  @Test
  void unknownKeysAndValuesAreRejected() {
    assertThatThrownBy(() -> bind("sources: {phoenix: false}")).hasMessageContaining("phoenix");
    assertThatThrownBy(() -> bind("finish_reasons: raw"))
        .hasMessageContaining("not one of conventions, as_sent");
  }

  @Test
  void validationSaysWhatIsWrongWithEachMapping() {
    GenAiNormalizeConfig c =
        new GenAiNormalizeConfig(
            true,
            false,
            GenAiNormalizeConfig.Sources.all(),
            List.of(
                new CustomMapping("", "gen_ai.request.model"),
                new CustomMapping("a", "a"),
                new CustomMapping("b", "x"),
                new CustomMapping("b", "y")),
            false,
            FinishReasons.CONVENTIONS);
    ConfigIssues issues = new ConfigIssues();
    c.validate(issues);
    assertThat(issues.issues())
        .extracting(ConfigIssues.Issue::toString)
        .containsExactly(
            "custom_mappings[0].from: must name the attribute to read, e.g. from: app.llm.model",
            "custom_mappings[1].to: is the same as `from` (\"a\"); a mapping must rename",
            "custom_mappings[3].from: \"b\" is mapped twice;"
                + " keep one mapping per source attribute");
  }

  @Test
  void theFactoryIsFoundByItsType() {
    @SuppressWarnings("rawtypes")
    ServiceLoader<ProcessorFactory> loader = ServiceLoader.load(ProcessorFactory.class);
    assertThat(loader.stream().map(p -> p.get().type()))
        .contains(GenAiNormalizeProcessorFactory.TYPE);
    GenAiNormalizeProcessorFactory f = new GenAiNormalizeProcessorFactory();
    assertThat(f.type()).isEqualTo("genai_normalize");
    assertThat(f.stability().toString()).isEqualTo("alpha");
    assertThat(f.defaultConfig()).isEqualTo(GenAiNormalizeConfig.defaults());
    assertThat(f.description()).contains("1.41.1");
  }
}
