package io.tollgate.processor.genaicost;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The span-derived GenAI metrics: what the OpenTelemetry GenAI conventions ask instrumentations to
 * record, rebuilt from spans (many SDKs emit spans only), plus cost, truncated answers and models
 * without a price.
 *
 * <p>Every label is bounded: model names by {@code max_models}, providers, operations and error
 * types by {@value #MAX_SMALL_LABELS} each, finish reasons by the configured list (the processor
 * passes only configured truncation reasons).
 */
final class GenAiMetrics {

  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  static final String COST = "tollgate_genai_cost_usd";
  static final String TRUNCATED_RESPONSES = "tollgate_genai_truncated_responses";
  static final String UNPRICED_SPANS = "tollgate_genai_unpriced_spans";

  static final String TOKEN_TYPE = "gen_ai.token.type";
  static final String PROVIDER_NAME = "gen_ai.provider.name";
  static final String REQUEST_MODEL = "gen_ai.request.model";
  static final String OPERATION_NAME = "gen_ai.operation.name";
  static final String ERROR_TYPE = "error.type";

  // Bucket boundaries of the GenAI metric conventions (gen-ai-metrics.md).
  static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };
  static final double[] DURATION_BUCKETS = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
  };

  static final int MAX_SMALL_LABELS = 32;

  private final MeterRegistry registry;
  private final BoundedLabels models;
  private final BoundedLabels providers = new BoundedLabels(MAX_SMALL_LABELS);
  private final BoundedLabels operations = new BoundedLabels(MAX_SMALL_LABELS);
  private final BoundedLabels errorTypes = new BoundedLabels(MAX_SMALL_LABELS);

  // Meters by label values: the registry would find them too, but only after building an id.
  private final Map<List<String>, DistributionSummary> tokenUsage = new ConcurrentHashMap<>();
  private final Map<List<String>, DistributionSummary> durations = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> costs = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> truncated = new ConcurrentHashMap<>();
  private final Map<String, Counter> unpriced = new ConcurrentHashMap<>();

  GenAiMetrics(MeterRegistry registry, int maxModels) {
    this.registry = registry;
    this.models = new BoundedLabels(maxModels);
  }

  void recordTokens(
      String tokenType, String provider, String requestModel, String operation, long tokens) {
    List<String> key =
        List.of(
            tokenType, providers.label(provider), models.label(requestModel), ops(operation));
    tokenUsage
        .computeIfAbsent(
            key,
            k ->
                DistributionSummary.builder(TOKEN_USAGE)
                    .description("Number of input and output tokens used, per GenAI call span.")
                    .tag(TOKEN_TYPE, k.get(0))
                    .tag(PROVIDER_NAME, k.get(1))
                    .tag(REQUEST_MODEL, k.get(2))
                    .tag(OPERATION_NAME, k.get(3))
                    .serviceLevelObjectives(TOKEN_BUCKETS)
                    .register(registry))
        .record(tokens);
  }

  void recordDuration(
      String provider, String requestModel, String operation, String errorType, double seconds) {
    List<String> key =
        List.of(
            providers.label(provider),
            models.label(requestModel),
            ops(operation),
            errorTypes.label(errorType));
    durations
        .computeIfAbsent(
            key,
            k ->
                DistributionSummary.builder(OPERATION_DURATION)
                    .description("Duration of GenAI operations, from their spans.")
                    .baseUnit("seconds")
                    .tag(PROVIDER_NAME, k.get(0))
                    .tag(REQUEST_MODEL, k.get(1))
                    .tag(OPERATION_NAME, k.get(2))
                    .tag(ERROR_TYPE, k.get(3))
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry))
        .record(seconds);
  }

  void recordCost(String provider, String model, double usd) {
    List<String> key = List.of(providers.label(provider), models.label(model));
    costs
        .computeIfAbsent(
            key,
            k ->
                Counter.builder(COST)
                    .description("Cost of GenAI calls in USD, computed or sent with the span.")
                    .tag("provider", k.get(0))
                    .tag("model", k.get(1))
                    .register(registry))
        .increment(usd);
  }

  void recordTruncated(String provider, String model, String finishReason) {
    List<String> key = List.of(providers.label(provider), models.label(model), finishReason);
    truncated
        .computeIfAbsent(
            key,
            k ->
                Counter.builder(TRUNCATED_RESPONSES)
                    .description("GenAI answers that stopped at their output token limit.")
                    .tag("provider", k.get(0))
                    .tag("model", k.get(1))
                    .tag("finish_reason", k.get(2))
                    .register(registry))
        .increment();
  }

  void recordUnpriced(String model) {
    unpriced
        .computeIfAbsent(
            models.label(model),
            m ->
                Counter.builder(UNPRICED_SPANS)
                    .description(
                        "Spans with token usage but no price for their model: add the model"
                            + " under genai_cost prices.")
                    .tag("model", m)
                    .register(registry))
        .increment();
  }

  private String ops(String operation) {
    return operations.label(operation);
  }
}
