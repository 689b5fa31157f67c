package io.tollgate.processor.genaicost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.TracesConsumer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenAiCostConfigTest {

  // Binds the way the config module does: snake_case keys, unknown keys rejected, the user's
  // section deep-merged over the default config serialised to a tree.
  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static GenAiCostConfig bind(String yaml) throws IOException {
    ObjectNode tree = MAPPER.valueToTree(new GenAiCostProcessorFactory().defaultConfig());
    merge(tree, MAPPER.readTree(yaml));
    return MAPPER.treeToValue(tree, GenAiCostConfig.class);
  }

  private static void merge(ObjectNode into, JsonNode from) {
    for (Map.Entry<String, JsonNode> e : from.properties()) {
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  private static List<String> issues(GenAiCostConfig config) {
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    return issues.issues().stream().map(Object::toString).toList();
  }

  @Test
  void defaultsAreValidAndRoundTrip() throws IOException {
    GenAiCostConfig config = bind("{}");
    assertThat(config).isEqualTo(GenAiCostConfig.defaults());
    assertThat(issues(config)).isEmpty();
    assertThat(config.metrics().maxModels()).isEqualTo(100);
    assertThat(config.truncationFinishReasons()).containsExactly("length", "max_tokens");
  }

  @Test
  void bindsUserPricesExactly() throws IOException {
    GenAiCostConfig config =
        bind(
            String.join(
                "\n",
                "prices:",
                "  - model: my-model",
                "    provider: openai",
                "    match: '^my-model(-v\\d+)?$'",
                "    input: 0.075",
                "    output: 0.3",
                "    cache_read: 0.01875",
                "    tiers:",
                "      - above_input_tokens: 128000",
                "        input: 0.15",
                "override: true",
                "truncation_finish_reasons: [length, MAX_TOKENS, max_output_tokens]",
                "metrics:",
                "  max_models: 20"));
    assertThat(issues(config)).isEmpty();
    PriceEntry e = config.prices().get(0);
    assertThat(e.input()).isEqualByComparingTo("0.075");
    assertThat(e.cacheRead()).isEqualByComparingTo("0.01875");
    assertThat(e.cacheWrite()).isNull();
    assertThat(e.tiers().get(0).aboveInputTokens()).isEqualTo(128_000);
    assertThat(e.tiers().get(0).output()).isNull();
    assertThat(config.override()).isTrue();
    assertThat(config.truncationFinishReasons())
        .containsExactly("length", "max_tokens", "max_output_tokens");
    assertThat(config.metrics().enabled()).isTrue(); // kept from the defaults
    assertThat(config.metrics().maxModels()).isEqualTo(20);
  }

  @Test
  void reportsEveryBadInlineEntryWithItsPath() {
    PriceEntry bad =
        new PriceEntry(
            " ",
            null,
            "gpt-(4o",
            new BigDecimal("-1"),
            null,
            new BigDecimal("-0.1"),
            null,
            List.of(
                new PriceEntry.Tier(200_000, null, null, null, null),
                new PriceEntry.Tier(100_000, new BigDecimal("-2"), null, null, null)));
    GenAiCostConfig config =
        new GenAiCostConfig(
            List.of(bad), "", false, List.of("length", " "), new GenAiCostConfig.Metrics(true, 0));
    assertThat(issues(config))
        .containsExactlyInAnyOrder(
            "prices[0].model: missing: name the model this price is for",
            "prices[0].match: not a valid regular expression: Unclosed group near index 7",
            "prices[0].input: must not be negative; got -1",
            "prices[0].output: missing: USD per 1M tokens, e.g. 2.50",
            "prices[0].cache_read: must not be negative; got -0.1",
            "prices[0].tiers[1].above_input_tokens: must be above the previous tier's 200000;"
                + " list tiers in ascending order",
            "prices[0].tiers[1].input: must not be negative; got -2",
            "truncation_finish_reasons[1]: empty; remove it or name a finish reason",
            "metrics.max_models: must be at least 1; got 0");
  }

  @Test
  void missingPriceFileIsAClearError(@TempDir Path dir) {
    String path = dir.resolve("nope.yaml").toString();
    GenAiCostConfig config = GenAiCostProcessorTest.withPrices(List.of(), path, false);
    assertThat(issues(config))
        .singleElement()
        .asString()
        .startsWith("price_file: cannot read \"" + path + "\"")
        .endsWith("the file must exist and be readable");
  }

  @Test
  void priceFileWithAnUnknownKeyNamesTheKeyAndWhere(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, "prices:\n  - model: x\n    input: 1\n    ouptut: 2\n");
    GenAiCostConfig config = GenAiCostProcessorTest.withPrices(List.of(), file.toString(), false);
    assertThat(issues(config))
        .singleElement()
        .asString()
        .startsWith(
            "price_file: " + file + ": unknown key \"ouptut\" in prices[0]; known keys: [")
        .contains("cache_read")
        .doesNotContain("io.tollgate");
  }

  @Test
  void priceFileWithAWrongTypeNamesThePath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.yaml");
    Files.writeString(
        file,
        "prices:\n  - model: x\n    input: 1\n    output: 2\n"
            + "    tiers: [{above_input_tokens: lots}]\n");
    GenAiCostConfig config = GenAiCostProcessorTest.withPrices(List.of(), file.toString(), false);
    assertThat(issues(config))
        .singleElement()
        .asString()
        .startsWith("price_file: " + file + ": prices[0].tiers[0].above_input_tokens: ")
        .contains("lots");
  }

  @Test
  void priceFileEntriesAreValidatedWithTheirPath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.yaml");
    Files.writeString(
        file,
        "as_of: yesterday\nprices:\n  - model: x\n    input: 1\n    output: 2\n"
            + "  - model: y\n    match: '(('\n    input: 1\n    output: 2\n");
    GenAiCostConfig config = GenAiCostProcessorTest.withPrices(List.of(), file.toString(), false);
    assertThat(issues(config))
        .hasSize(2)
        .anySatisfy(
            s -> assertThat(s).isEqualTo(
                "price_file: " + file + ": as_of: \"yesterday\" is not a date; write e.g."
                    + " 2026-08-20"))
        .anySatisfy(s -> assertThat(s).startsWith("price_file: " + file + ": prices[1].match:"));
  }

  @Test
  void createRefusesAnInvalidConfig() {
    GenAiCostConfig config =
        GenAiCostProcessorTest.withPrices(
            List.of(PriceEntry.of("x", "-1", "1")), "", false);
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("genai_cost")).build();
    assertThatThrownBy(
            () -> new GenAiCostProcessorFactory().create(config, ctx, TracesConsumer.discarding()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prices[0].input: must not be negative");
  }
}
