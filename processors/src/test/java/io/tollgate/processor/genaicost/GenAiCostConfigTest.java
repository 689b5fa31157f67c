package io.tollgate.processor.genaicost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.ConfigException;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.TracesConsumer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenAiCostConfigTest {

  /** Binds {@code yaml} as the {@code genai_cost} section, through the real config loader. */
  static GenAiCostConfig bind(String yaml) throws ConfigException {
    return ComponentConfigs.bind(ComponentKind.PROCESSOR, "genai_cost", yaml);
  }

  /** What the loader reports for the section, with paths relative to it. */
  private static List<String> problems(String yaml) {
    return ComponentConfigs.problems(ComponentKind.PROCESSOR, "genai_cost", yaml);
  }

  private static List<String> problemsWithPriceFile(Path file) {
    return problems("price_file: '" + file + "'");
  }

  @Test
  void defaultsAreValidAndRoundTrip() throws ConfigException {
    GenAiCostConfig config = bind("{}");
    assertThat(config).isEqualTo(GenAiCostConfig.defaults());
    assertThat(ComponentConfigs.issues(config)).isEmpty();
    assertThat(config.metrics().maxModels()).isEqualTo(100);
    assertThat(config.truncationFinishReasons()).containsExactly("length", "max_tokens");
  }

  @Test
  void bindsUserPricesExactly() throws ConfigException {
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
    assertThat(ComponentConfigs.issues(config)).isEmpty();
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
    String yaml =
        String.join(
            "\n",
            "prices:",
            "  - model: ' '",
            "    match: 'gpt-(4o'",
            "    input: -1",
            "    cache_read: -0.1",
            "    tiers:",
            "      - above_input_tokens: 200000",
            "      - above_input_tokens: 100000",
            "        input: -2",
            "truncation_finish_reasons: [length, ' ']",
            "metrics: {max_models: 0}");
    assertThat(problems(yaml))
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
    assertThat(problemsWithPriceFile(Path.of(path)))
        .singleElement()
        .asString()
        .startsWith("price_file: cannot read \"" + path + "\"")
        .endsWith("the file must exist and be readable");
  }

  @Test
  void priceFileWithAnUnknownKeyNamesTheKeyAndWhere(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, "prices:\n  - model: x\n    input: 1\n    ouptut: 2\n");
    assertThat(problemsWithPriceFile(file))
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
    assertThat(problemsWithPriceFile(file))
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
    assertThat(problemsWithPriceFile(file))
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
