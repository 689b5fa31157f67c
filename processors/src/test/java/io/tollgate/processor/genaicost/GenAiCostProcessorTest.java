package io.tollgate.processor.genaicost;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Costs computed by hand, to the last digit. Expected values are written as decimal strings and
 * compared with the span's double exactly: the processor must produce the double nearest to the
 * exact decimal cost.
 */
class GenAiCostProcessorTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingConsumer out = new RecordingConsumer();

  @Test
  void gpt4oPlain() {
    // 1234 × 2.50 + 567 × 10.00 = 3085 + 5670 = 8755 µ$ per 1M → $0.008755
    AttributeView a =
        run(defaults(), call("openai", "gpt-4o", "gpt-4o-2024-08-06", 1234, 567, Map.of()));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.008755"));
    assertThat(a.getString("tollgate.cost.source")).isEqualTo("table");
    assertThat(a.getString("tollgate.cost.price_model")).isEqualTo("gpt-4o");
    assertThat(a.getString("tollgate.cost.price_as_of"))
        .isEqualTo(PriceFiles.bundled().asOf());
  }

  @Test
  void claudeSonnet45WithCacheReadAndCreation() {
    // input 10,000 includes 6,000 read and 2,000 written: uncached 2,000.
    // 2,000 × 3.00 + 6,000 × 0.30 + 2,000 × 3.75 + 800 × 15.00
    //   = 6,000 + 1,800 + 7,500 + 12,000 = 27,300 → $0.0273
    AttributeView a =
        run(
            defaults(),
            call(
                "anthropic",
                "claude-sonnet-4-5",
                "claude-sonnet-4-5-20250929",
                10_000,
                800,
                Map.of(
                    "gen_ai.usage.cache_read.input_tokens", 6_000,
                    "gen_ai.usage.cache_creation.input_tokens", 2_000)));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.0273"));
  }

  @Test
  void reasoningTokensArePartOfOutputAndNotCountedTwice() {
    // o3: 2,000 × 2.00 + 5,000 × 8.00 = 4,000 + 40,000 = 44,000 → $0.044
    // (adding the 4,200 reasoning tokens again would give $0.0776)
    AttributeView o3 =
        run(
            defaults(),
            call(
                "openai",
                "o3",
                "o3-2025-04-16",
                2_000,
                5_000,
                Map.of("gen_ai.usage.reasoning.output_tokens", 4_200)));
    assertThat(o3.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.044"));

    // gpt-5 with a cache hit: 2,000 × 1.25 + 1,000 × 0.125 + 1,500 × 10.00
    //   = 2,500 + 125 + 15,000 = 17,625 → $0.017625
    AttributeView gpt5 =
        run(
            defaults(),
            call(
                "openai",
                "gpt-5",
                "gpt-5-2025-08-07",
                3_000,
                1_500,
                Map.of(
                    "gen_ai.usage.cache_read.input_tokens", 1_000,
                    "gen_ai.usage.reasoning.output_tokens", 1_024)));
    assertThat(gpt5.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.017625"));
  }

  @Test
  void reasoningReportedOutsideOutputIsBilledOnce() {
    // Output 100 cannot contain 900 reasoning tokens: the sender counted them apart, so
    // 1,000 output tokens are billed. gemini-2.5-flash: 500 × 0.30 + 1,000 × 2.50 = 2,650.
    AttributeView a =
        run(
            defaults(),
            call(
                "gcp.gemini",
                "gemini-2.5-flash",
                null,
                500,
                100,
                Map.of("gen_ai.usage.reasoning.output_tokens", 900)));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.00265"));
  }

  @Test
  void gemini25ProAboveTheLongContextTierPricesTheWholeCallAtTheTier() {
    // 250,000 prompt tokens > 200,000: 200,000 × 2.50 + 50,000 × 0.25 + 2,000 × 15.00
    //   = 500,000 + 12,500 + 30,000 = 542,500 → $0.5425
    AttributeView above =
        run(
            defaults(),
            call(
                "gcp.vertex_ai",
                "gemini-2.5-pro",
                "gemini-2.5-pro",
                250_000,
                2_000,
                Map.of("gen_ai.usage.cache_read.input_tokens", 50_000)));
    assertThat(above.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.5425"));

    // Exactly 200,000 is not above: 200,000 × 1.25 + 2,000 × 10.00 = 270,000 → $0.27
    AttributeView at =
        run(defaults(), call("gcp.gemini", "gemini-2.5-pro", null, 200_000, 2_000, Map.of()));
    assertThat(at.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.27"));
  }

  @Test
  void bedrockRegionalProfileCostsTenPercentMoreThanGlobal() {
    // us. profile: 1,000 × 3.30 + 100 × 16.50 = 3,300 + 1,650 = 4,950 → $0.00495
    AttributeView us =
        run(
            defaults(),
            call(
                "aws.bedrock",
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                null,
                1_000,
                100,
                Map.of()));
    assertThat(us.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.00495"));
    assertThat(us.getString("tollgate.cost.price_model"))
        .isEqualTo("claude-sonnet-4-5 (bedrock regional)");

    // global. profile: 1,000 × 3.00 + 100 × 15.00 = 4,500 → $0.0045
    AttributeView global =
        run(
            defaults(),
            call(
                "aws.bedrock",
                "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                null,
                1_000,
                100,
                Map.of()));
    assertThat(global.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.0045"));
  }

  @Test
  void vertexClaudeName() {
    // 3,000 × 3.00 + 1,000 × 0.30 + 300 × 15.00 = 9,000 + 300 + 4,500 = 13,800 → $0.0138
    AttributeView a =
        run(
            defaults(),
            call(
                "gcp.vertex_ai",
                "claude-3-5-sonnet@20240620",
                null,
                4_000,
                300,
                Map.of("gen_ai.usage.cache_read.input_tokens", 1_000)));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.0138"));
    assertThat(a.getString("tollgate.cost.price_model")).isEqualTo("claude-3-5-sonnet");
  }

  @Test
  void cacheTokensWithoutACachePriceCostTheInputPrice() {
    // gemini-2.0-flash has no cache price: 1,000 × 0.10 (all input alike) + 10 × 0.40 = 104
    AttributeView a =
        run(
            defaults(),
            call(
                "gcp.gemini",
                "gemini-2.0-flash",
                null,
                1_000,
                10,
                Map.of("gen_ai.usage.cache_read.input_tokens", 400)));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.000104"));
  }

  @Test
  void cacheCountsAboveTheInputMeanTheInputExcludedThem() {
    // Anthropic's raw usage: input 100 + read 5,000 + write 1,000 (not normalised).
    // 100 × 3.00 + 5,000 × 0.30 + 1,000 × 3.75 + 10 × 15.00 = 300 + 1,500 + 3,750 + 150 = 5,700
    AttributeView a =
        run(
            defaults(),
            call(
                "anthropic",
                "claude-sonnet-4-5",
                null,
                100,
                10,
                Map.of(
                    "gen_ai.usage.cache_read.input_tokens", 5_000,
                    "gen_ai.usage.cache_creation.input_tokens", 1_000)));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.0057"));
  }

  @Test
  void tokenCountsSentAsStringsAreRead() {
    AttributeView a =
        run(
            defaults(),
            Spans.span(
                "chat gpt-4o-mini",
                Map.of(
                    "gen_ai.request.model", "gpt-4o-mini",
                    "gen_ai.usage.input_tokens", "1000",
                    "gen_ai.usage.output_tokens", "1000")));
    // 1,000 × 0.15 + 1,000 × 0.60 = 750 → $0.00075
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.00075"));
  }

  @Test
  void responseModelIsPricedFirstAndTheRequestModelIsTheFallback() {
    // An Azure deployment name in the request, the real model in the response.
    AttributeView azure =
        run(
            defaults(),
            call(
                "azure.ai.openai", "my-gpt4o-deployment", "gpt-4o-2024-11-20", 1_000, 0, Map.of()));
    assertThat(azure.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.0025"));

    // An unknown response name: the request's price applies.
    AttributeView fallback =
        run(defaults(), call("openai", "gpt-4o-mini", "gpt-4o-mini-ft:acme", 1_000, 0, Map.of()));
    assertThat(fallback.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.00015"));
  }

  @Test
  void userPriceWinsOverTheBundledOne() {
    GenAiCostConfig config =
        withPrices(
            List.of(PriceEntry.of("gpt-4o", "2.00", "8.00")), "", false);
    // 1,000 × 2.00 + 1,000 × 8.00 = 10,000 → $0.01 (bundled would give 0.0125)
    AttributeView a = run(config, call("openai", "gpt-4o", null, 1_000, 1_000, Map.of()));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.01"));
    assertThat(a.getString("tollgate.cost.source")).isEqualTo("user");
    assertThat(a.contains("tollgate.cost.price_as_of")).isFalse();
  }

  @Test
  void amongUserEntriesAnExactNameBeatsARegexAndAProviderEntryBeatsAGeneralOne() {
    PriceEntry regex =
        new PriceEntry(
            "any-gpt", null, "^gpt-.*", bd("1"), bd("1"), null, null, List.of());
    PriceEntry exact = PriceEntry.of("gpt-4o", "3", "3");
    PriceEntry azureOnly =
        new PriceEntry(
            "gpt-4o", "azure.ai.openai", null, bd("4"), bd("4"), null, null, List.of());
    GenAiCostConfig config = withPrices(List.of(regex, exact, azureOnly), "", false);

    AttributeView openai = run(config, call("openai", "gpt-4o", null, 1_000_000, 0, Map.of()));
    assertThat(openai.getDouble("gen_ai.usage.cost")).isEqualTo(3.0);

    AttributeView azure =
        run(config, call("azure.ai.openai", "gpt-4o", null, 1_000_000, 0, Map.of()));
    assertThat(azure.getDouble("gen_ai.usage.cost")).isEqualTo(4.0);

    AttributeView other = run(config, call("openai", "gpt-4.1", null, 1_000_000, 0, Map.of()));
    assertThat(other.getDouble("gen_ai.usage.cost")).isEqualTo(1.0);
  }

  @Test
  void priceFileAddsASelfHostedModel(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "as_of: 2026-01-15",
            "prices:",
            "  - model: my-llama",
            "    match: '^(hosted/)?my-llama(-v\\d+)?$'",
            "    input: 0.20",
            "    output: 0.20",
            "  - model: claude-sonnet-4-5",
            "    input: 2.00",
            "    output: 10.00",
            "    cache_read: 0.20",
            ""));
    GenAiCostConfig config = withPrices(List.of(), file.toString(), false);

    // 10,000 × 0.20 + 5,000 × 0.20 = 3,000 → $0.003
    AttributeView llama =
        run(config, call("", "hosted/my-llama-v2", null, 10_000, 5_000, Map.of()));
    assertThat(llama.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.003"));
    assertThat(llama.getString("tollgate.cost.source")).isEqualTo("user");
    assertThat(llama.getString("tollgate.cost.price_as_of")).isEqualTo("2026-01-15");

    // Negotiated Claude price, no cache_write given: creation billed at the input price.
    // 1,000 × 2.00 + 1,000 × 0.20 + 1,000 × 2.00 + 100 × 10.00 = 2,000+200+2,000+1,000 = 5,200
    AttributeView claude =
        run(
            config,
            call(
                "anthropic",
                "claude-sonnet-4-5",
                null,
                3_000,
                100,
                Map.of(
                    "gen_ai.usage.cache_read.input_tokens", 1_000,
                    "gen_ai.usage.cache_creation.input_tokens", 1_000)));
    assertThat(claude.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.0052"));
  }

  @Test
  void senderCostIsKeptUnlessOverride() {
    Map<String, Object> sent = Map.of("gen_ai.usage.cost", 0.5);
    AttributeView kept = run(defaults(), call("openai", "gpt-4o", null, 1_000, 1_000, sent));
    assertThat(kept.getDouble("gen_ai.usage.cost")).isEqualTo(0.5);
    assertThat(kept.getString("tollgate.cost.source")).isEqualTo("sender");
    assertThat(kept.contains("tollgate.cost.price_model")).isFalse();

    AttributeView replaced =
        run(withPrices(List.of(), "", true), call("openai", "gpt-4o", null, 1_000, 1_000, sent));
    // 1,000 × 2.50 + 1,000 × 10.00 = 12,500 → $0.0125
    assertThat(replaced.getDouble("gen_ai.usage.cost")).isEqualTo(usd("0.0125"));
    assertThat(replaced.getString("tollgate.cost.source")).isEqualTo("table");
  }

  @Test
  void aCostPricedByAnUpstreamTollgateKeepsItsProvenance() {
    Map<String, Object> upstream = new LinkedHashMap<>();
    upstream.put("gen_ai.usage.cost", 0.0125);
    upstream.put("tollgate.cost.source", "table");
    upstream.put("tollgate.cost.price_as_of", "2026-08-20");
    AttributeView a = run(defaults(), call("openai", "gpt-4o", null, 1_000, 1_000, upstream));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(0.0125);
    assertThat(a.getString("tollgate.cost.source")).isEqualTo("table");
  }

  @Test
  void overrideWithoutAPriceKeepsTheSenderCost() {
    AttributeView a =
        run(
            withPrices(List.of(), "", true),
            call("openai", "gpt-9-turbo", null, 10, 10, Map.of("gen_ai.usage.cost", 0.5)));
    assertThat(a.getDouble("gen_ai.usage.cost")).isEqualTo(0.5);
    assertThat(a.getString("tollgate.cost.source")).isEqualTo("sender");
  }

  @Test
  void unknownModelGetsNoCostAndIsCounted() {
    GenAiCostProcessorFactory factory = new GenAiCostProcessorFactory();
    Processor p = factory.create(defaults(), context(), out);
    p.consume(
        Spans.batch(
            call("openai", "gpt-9-turbo", null, 100, 100, Map.of()),
            call("openai", "gpt-9-turbo", null, 100, 100, Map.of()),
            call("openai", "gpt-4o", null, 100, 100, Map.of())));
    List<SpanRecord> spans = out.spans();
    assertThat(spans.get(0).attributes().contains("gen_ai.usage.cost")).isFalse();
    assertThat(spans.get(0).attributes().contains("tollgate.cost.source")).isFalse();
    assertThat(spans.get(2).attributes().contains("gen_ai.usage.cost")).isTrue();
    assertThat(registry.get("tollgate_genai_unpriced_spans").tag("model", "gpt-9-turbo").counter()
            .count())
        .isEqualTo(2.0);
  }

  @Test
  void spansWithoutUsageOrModelAreLeftAlone() {
    AttributeView tool =
        run(
            defaults(),
            Spans.span(
                "execute_tool get_weather",
                Map.of("gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "w")));
    assertThat(tool.size()).isEqualTo(2);

    AttributeView noUsage =
        run(defaults(), Spans.span("chat", Map.of("gen_ai.request.model", "gpt-4o")));
    assertThat(noUsage.contains("gen_ai.usage.cost")).isFalse();
  }

  @Test
  void truncatedAnswerIsMarked() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("gen_ai.response.finish_reasons", List.of("MAX_TOKENS"));
    AttributeView a = run(defaults(), call("gcp.gemini", "gemini-2.5-pro", null, 10, 10, extra));
    assertThat(a.getBoolean("tollgate.response.truncated")).isTrue();

    extra.put("gen_ai.response.finish_reasons", List.of("stop"));
    AttributeView b = run(defaults(), call("openai", "gpt-4o", null, 10, 10, extra));
    assertThat(b.contains("tollgate.response.truncated")).isFalse();
  }

  // ------------------------------------------------------------------ helpers

  static double usd(String exact) {
    return new BigDecimal(exact).doubleValue();
  }

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  static GenAiCostConfig defaults() {
    return GenAiCostConfig.defaults();
  }

  static GenAiCostConfig withPrices(List<PriceEntry> prices, String file, boolean override) {
    GenAiCostConfig d = GenAiCostConfig.defaults();
    return new GenAiCostConfig(prices, file, override, d.truncationFinishReasons(), d.metrics());
  }

  private ComponentContext context() {
    return ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("genai_cost"))
        .meterRegistry(registry)
        .build();
  }

  /** Runs one span through a fresh processor and returns its attributes downstream. */
  private AttributeView run(
      GenAiCostConfig config, io.opentelemetry.proto.trace.v1.Span.Builder span) {
    out.clear();
    Processor p = new GenAiCostProcessorFactory().create(config, context(), out);
    p.consume(Spans.batch(span)).toCompletableFuture().join();
    assertThat(out.spans()).hasSize(1);
    return out.spans().get(0).attributes();
  }

  /** A chat span as OpenTelemetry GenAI instrumentations emit it. */
  static io.opentelemetry.proto.trace.v1.Span.Builder call(
      String provider,
      String requestModel,
      String responseModel,
      long input,
      long output,
      Map<String, ?> extra) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("gen_ai.operation.name", "chat");
    if (!provider.isEmpty()) {
      attrs.put("gen_ai.provider.name", provider);
    }
    attrs.put("gen_ai.request.model", requestModel);
    if (responseModel != null) {
      attrs.put("gen_ai.response.model", responseModel);
    }
    attrs.put("gen_ai.usage.input_tokens", input);
    attrs.put("gen_ai.usage.output_tokens", output);
    attrs.putAll(extra);
    return Spans.span("chat " + requestModel, attrs);
  }
}
