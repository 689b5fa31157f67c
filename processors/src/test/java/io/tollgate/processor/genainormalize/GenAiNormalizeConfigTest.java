package io.tollgate.processor.genainormalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.ConfigException;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.CustomMapping;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.CustomType;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Binding through the real config loader: snake_case YAML deep-merged over the defaults. */
class GenAiNormalizeConfigTest {

  private static final String TYPE = GenAiNormalizeProcessorFactory.TYPE;

  /** Binds {@code yaml} as the {@code genai_normalize} section, through the real config loader. */
  private static GenAiNormalizeConfig bind(String yaml) throws ConfigException {
    return ComponentConfigs.bind(ComponentKind.PROCESSOR, TYPE, yaml);
  }

  @Test
  void defaultsSerialiseWithTheDocumentedKeys() throws ConfigException {
    // As `tollgate print-config` shows the section when the user gives no settings.
    JsonNode tree =
        ComponentConfigs.load(ComponentKind.PROCESSOR, TYPE, "")
            .toTree()
            .get("processors")
            .get(TYPE);
    assertThat(tree.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "remove_originals",
                "overwrite", "sources", "custom_mappings", "rename_spans", "finish_reasons");
    assertThat(tree.get("sources").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "otel_deprecated", "openllmetry", "openinference", "vercel_ai", "adhoc", "langfuse");
    assertThat(tree.get("finish_reasons").asText()).isEqualTo("conventions");
    assertThat(tree.get("remove_originals").asBoolean()).isTrue();
    assertThat(tree.get("overwrite").asBoolean()).isFalse();
  }

  @Test
  void aPartialSectionKeepsTheOtherDefaults() throws ConfigException {
    GenAiNormalizeConfig c =
        bind(
            "sources:\n"
                + "  openinference: false\n"
                + "  langfuse: false\n"
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
    assertThat(c.sources().langfuse()).isFalse();
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
    assertThat(
            ComponentConfigs.problems(ComponentKind.PROCESSOR, TYPE, "sources: {phoenix: false}"))
        .singleElement()
        .asString()
        .startsWith("sources.phoenix: unknown key");
    assertThat(ComponentConfigs.problems(ComponentKind.PROCESSOR, TYPE, "finish_reasons: raw"))
        .containsExactly(
            "finish_reasons: expected one of `conventions`, `as_sent`, got \"raw\"");
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
