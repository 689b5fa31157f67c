package io.tollgate.processor.genaicost;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GenAI metrics as the collector's Prometheus endpoint (:8888) renders them. */
class GenAiMetricsTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private String scrape(GenAiCostConfig config, Span.Builder... spans) {
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("genai_cost"))
            .meterRegistry(registry)
            .build();
    Processor p = new GenAiCostProcessorFactory().create(config, ctx, new RecordingConsumer());
    p.consume(Spans.batch(spans)).toCompletableFuture().join();
    return registry.scrape();
  }

  private static Span.Builder chat(String model, long in, long out, long durationMillis) {
    Span.Builder s =
        GenAiCostProcessorTest.call("openai", model, null, in, out, Map.of());
    s.setEndTimeUnixNano(s.getStartTimeUnixNano() + durationMillis * 1_000_000L);
    return s;
  }

  @Test
  void tokenUsageHistogramHasTheConventionBucketsAndLabels() {
    String text = scrape(GenAiCostConfig.defaults(), chat("gpt-4o", 1000, 70, 1500));
    String labels =
        "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
            + "gen_ai_request_model=\"gpt-4o\",gen_ai_token_type=\"input\"";
    assertThat(text).contains("# TYPE gen_ai_client_token_usage histogram");
    List<String> les =
        text.lines()
            .filter(l -> l.startsWith("gen_ai_client_token_usage_bucket{" + labels))
            .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
            .toList();
    assertThat(les.stream().filter(l -> !l.equals("+Inf")).mapToDouble(Double::parseDouble))
        .containsExactly(
            Arrays.stream(GenAiMetrics.TOKEN_BUCKETS).boxed().toArray(Double[]::new));
    assertThat(les).endsWith("+Inf");
    assertThat(text)
        .contains("gen_ai_client_token_usage_bucket{" + labels + ",le=\"256.0\"} 0")
        .contains("gen_ai_client_token_usage_bucket{" + labels + ",le=\"1024.0\"} 1")
        .contains("gen_ai_client_token_usage_sum{" + labels + "} 1000.0")
        .contains(
            "gen_ai_client_token_usage_sum{gen_ai_operation_name=\"chat\","
                + "gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\","
                + "gen_ai_token_type=\"output\"} 70.0");
  }

  @Test
  void operationDurationHistogramIsInSecondsWithTheConventionBuckets() {
    String text = scrape(GenAiCostConfig.defaults(), chat("gpt-4o", 10, 10, 1500));
    String labels =
        "error_type=\"\",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
            + "gen_ai_request_model=\"gpt-4o\"";
    assertThat(text)
        .contains("# TYPE gen_ai_client_operation_duration_seconds histogram")
        .contains("gen_ai_client_operation_duration_seconds_bucket{" + labels + ",le=\"1.28\"} 0")
        .contains("gen_ai_client_operation_duration_seconds_bucket{" + labels + ",le=\"2.56\"} 1")
        .contains("gen_ai_client_operation_duration_seconds_bucket{" + labels + ",le=\"81.92\"} 1")
        .contains("gen_ai_client_operation_duration_seconds_sum{" + labels + "} 1.5");
    long buckets =
        text.lines()
            .filter(l -> l.startsWith("gen_ai_client_operation_duration_seconds_bucket{" + labels))
            .count();
    assertThat(buckets).isEqualTo(GenAiMetrics.DURATION_BUCKETS.length + 1);
  }

  @Test
  void costTruncationAndUnpricedCounters() {
    Span.Builder truncated =
        GenAiCostProcessorTest.call(
            "anthropic",
            "claude-haiku-4-5",
            null,
            1_000,
            4_096,
            Map.of("gen_ai.response.finish_reasons", List.of("max_tokens")));
    String text =
        scrape(
            GenAiCostConfig.defaults(),
            chat("gpt-4o", 1_000, 1_000, 100), // 2,500 + 10,000 → $0.0125
            chat("gpt-4o", 1_000, 1_000, 100),
            truncated, // 1,000 × 1.00 + 4,096 × 5.00 = 21,480 → $0.02148
            chat("my-private-model", 10, 10, 100));
    assertThat(text)
        .contains("tollgate_genai_cost_usd_total{model=\"gpt-4o\",provider=\"openai\"} 0.025")
        .contains(
            "tollgate_genai_cost_usd_total{model=\"claude-haiku-4-5\",provider=\"anthropic\"}"
                + " 0.02148")
        .contains(
            "tollgate_genai_truncated_responses_total{finish_reason=\"max_tokens\","
                + "model=\"claude-haiku-4-5\",provider=\"anthropic\"} 1.0")
        .contains("tollgate_genai_unpriced_spans_total{model=\"my-private-model\"} 1.0");
  }

  @Test
  void modelsPastMaxModelsShareTheOtherLabel() {
    GenAiCostConfig d = GenAiCostConfig.defaults();
    GenAiCostConfig config =
        new GenAiCostConfig(
            d.prices(),
            "",
            false,
            d.truncationFinishReasons(),
            new GenAiCostConfig.Metrics(true, 2));
    String text =
        scrape(
            config,
            chat("gpt-4o", 1, 1, 10),
            chat("gpt-4o-mini", 1, 1, 10),
            chat("gpt-4.1", 1, 1, 10),
            chat("o3", 1, 1, 10),
            chat("gpt-4o", 1, 1, 10));
    assertThat(text)
        .contains("gen_ai_request_model=\"gpt-4o\"")
        .contains("gen_ai_request_model=\"gpt-4o-mini\"")
        .contains("gen_ai_request_model=\"_other\"")
        .doesNotContain("gpt-4.1\"")
        .doesNotContain("\"o3\"")
        .contains(
            "gen_ai_client_token_usage_count{gen_ai_operation_name=\"chat\","
                + "gen_ai_provider_name=\"openai\",gen_ai_request_model=\"_other\","
                + "gen_ai_token_type=\"input\"} 2")
        .contains(
            "gen_ai_client_token_usage_count{gen_ai_operation_name=\"chat\","
                + "gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\","
                + "gen_ai_token_type=\"input\"} 2");
  }

  @Test
  void disabledMetricsRegisterNothingButSpansArePriced() {
    GenAiCostConfig d = GenAiCostConfig.defaults();
    GenAiCostConfig config =
        new GenAiCostConfig(
            d.prices(), "", false, d.truncationFinishReasons(),
            new GenAiCostConfig.Metrics(false, 100));
    String text = scrape(config, chat("gpt-4o", 1, 1, 10));
    assertThat(text).doesNotContain("gen_ai_").doesNotContain("tollgate_genai");
  }

  @Test
  void boundedLabelsAdmitExactlyMax() throws Exception {
    BoundedLabels labels = new BoundedLabels(50);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int base = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  labels.label("m" + ((i * 7 + base) % 120));
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(labels.size()).isEqualTo(50);
    assertThat(labels.label("never-seen")).isEqualTo(BoundedLabels.OTHER);
  }
}
