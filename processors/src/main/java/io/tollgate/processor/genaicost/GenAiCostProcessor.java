package io.tollgate.processor.genaicost;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices every GenAI call span from its token usage, and records the GenAI metrics.
 *
 * <p>Runs after {@code genai_normalize}, so it reads only the canonical {@code gen_ai.*}
 * attributes. Work per span is a handful of attribute scans and, for priced spans, one cache
 * lookup and a few BigDecimal multiplications.
 */
final class GenAiCostProcessor implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(GenAiCostProcessor.class);

  static final String REQUEST_MODEL = "gen_ai.request.model";
  static final String RESPONSE_MODEL = "gen_ai.response.model";
  static final String PROVIDER = "gen_ai.provider.name";
  static final String OPERATION = "gen_ai.operation.name";
  static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  static final String CACHE_READ_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  static final String CACHE_CREATION_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
  static final String REASONING_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
  static final String ERROR_TYPE = "error.type";

  /** The cost in USD (OpenLIT's name; Langfuse reads it as the total cost). */
  static final String COST = "gen_ai.usage.cost";

  /** Where the cost came from: {@code table}, {@code user} or {@code sender}. */
  static final String COST_SOURCE = "tollgate.cost.source";

  /** The price entry used (its {@code model}), so a surprising cost can be traced to its price. */
  static final String COST_PRICE_MODEL = "tollgate.cost.price_model";

  /** The {@code as_of} date of the price table, when it has one. */
  static final String COST_PRICE_AS_OF = "tollgate.cost.price_as_of";

  /** Set (true) on spans whose answer stopped at its token limit. */
  static final String RESPONSE_TRUNCATED = "tollgate.response.truncated";

  static final String SOURCE_SENDER = "sender";

  private final PriceTable prices;
  private final boolean override;
  private final Set<String> truncationReasons; // lower case
  private final GenAiMetrics metrics; // null when disabled
  private final TracesConsumer next;

  GenAiCostProcessor(
      PriceTable prices,
      boolean override,
      Set<String> truncationReasons,
      GenAiMetrics metrics,
      TracesConsumer next) {
    this.prices = prices;
    this.override = override;
    this.truncationReasons = Set.copyOf(truncationReasons);
    this.metrics = metrics;
    this.next = next;
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    batch.forEachSpan(this::processSafely);
    return next.consume(batch);
  }

  private void processSafely(SpanRecord span) {
    try {
      process(span);
    } catch (RuntimeException e) {
      // A pricing bug must not lose the span: pass it on unpriced.
      LOG.warn("genai_cost could not process span {}; passed on unchanged", span.spanIdHex(), e);
    }
  }

  void process(SpanRecord span) {
    AttributeView a = span.attributes();
    Long input = a.getLong(INPUT_TOKENS);
    Long output = a.getLong(OUTPUT_TOKENS);
    String requestModel = nonEmpty(a.getString(REQUEST_MODEL));
    String responseModel = nonEmpty(a.getString(RESPONSE_MODEL));
    if (input == null && output == null && requestModel == null && responseModel == null) {
      return; // not a model call: the common case for most spans of a trace
    }
    String provider = nonEmpty(a.getString(PROVIDER));
    String operation = nonEmpty(a.getString(OPERATION));
    // The response names the model that actually ran (an alias resolves to a dated snapshot).
    String model = responseModel != null ? responseModel : requestModel;
    String labelModel = requestModel != null ? requestModel : responseModel;

    if (metrics != null) {
      recordCallMetrics(span, a, provider, labelModel, operation, input, output);
    }
    markTruncation(a, provider, model);
    price(a, provider, model, requestModel, responseModel, input, output);
  }

  private void price(
      AttributeView a,
      String provider,
      String model,
      String requestModel,
      String responseModel,
      Long input,
      Long output) {
    Double sent = senderCost(a);
    boolean hasUsage = input != null || output != null;
    if (sent != null && (!override || !hasUsage)) {
      keptSenderCost(a);
      if (metrics != null) {
        metrics.recordCost(provider, model, sent);
      }
      return;
    }
    if (!hasUsage) {
      return; // nothing to price: a model call that reported no tokens
    }
    TokenUsage usage =
        new TokenUsage(
            orZero(input),
            orZero(output),
            orZero(a.getLong(CACHE_READ_TOKENS)),
            orZero(a.getLong(CACHE_CREATION_TOKENS)),
            orZero(a.getLong(REASONING_TOKENS)));
    if (!usage.valid()) {
      LOG.debug("Negative token count on a span of model {}; not priced", model);
      return;
    }
    Optional<ModelPrice> price = Optional.empty();
    String pricedModel = model;
    if (responseModel != null) {
      price = prices.find(responseModel, provider);
    }
    if (price.isEmpty() && requestModel != null) {
      // An unknown response name (a deployment alias, a new snapshot) should not lose a price
      // that the requested name has.
      price = prices.find(requestModel, provider);
      pricedModel = requestModel;
    }
    if (price.isEmpty()) {
      if (metrics != null) {
        metrics.recordUnpriced(model == null ? "" : model);
      }
      if (sent != null) {
        keptSenderCost(a); // override, but nothing to override with
        if (metrics != null) {
          metrics.recordCost(provider, model, sent);
        }
      }
      return;
    }
    ModelPrice p = price.get();
    BigDecimal cost = usage.cost(p);
    double usd = cost.doubleValue();
    a.put(COST, usd);
    a.put(COST_SOURCE, p.source());
    a.put(COST_PRICE_MODEL, p.model());
    if (p.asOf() != null) {
      a.put(COST_PRICE_AS_OF, p.asOf());
    } else {
      a.remove(COST_PRICE_AS_OF);
    }
    if (metrics != null) {
      metrics.recordCost(provider, pricedModel, usd);
    }
  }

  /**
   * Marks a kept cost as the sender's, unless an upstream Tollgate (a sidecar in front of this
   * gateway) already said where it came from.
   */
  private static void keptSenderCost(AttributeView a) {
    if (!a.contains(COST_SOURCE)) {
      a.put(COST_SOURCE, SOURCE_SENDER);
    }
  }

  /** The cost the sender set, when it is a usable number. */
  private static Double senderCost(AttributeView a) {
    Double d = a.getDouble(COST);
    return d != null && Double.isFinite(d) && d >= 0 ? d : null;
  }

  private void recordCallMetrics(
      SpanRecord span,
      AttributeView a,
      String provider,
      String model,
      String operation,
      Long input,
      Long output) {
    if (input != null && input >= 0) {
      metrics.recordTokens("input", provider, model, operation, input);
    }
    if (output != null && output >= 0) {
      metrics.recordTokens("output", provider, model, operation, output);
    }
    if (operation != null && model != null && span.endEpochNanos() > 0) {
      String errorType = nonEmpty(a.getString(ERROR_TYPE));
      metrics.recordDuration(provider, model, operation, errorType, span.durationNanos() / 1e9);
    }
  }

  /** Marks and counts an answer cut at its token limit (once per span, by its first reason). */
  private void markTruncation(AttributeView a, String provider, String model) {
    AnyValue reasons = a.get(FINISH_REASONS);
    if (reasons == null || truncationReasons.isEmpty()) {
      return;
    }
    for (String reason : Values.asStrings(reasons)) {
      String r = reason.trim().toLowerCase(Locale.ROOT);
      if (truncationReasons.contains(r)) {
        a.put(RESPONSE_TRUNCATED, true);
        if (metrics != null) {
          metrics.recordTruncated(provider, model, r);
        }
        return;
      }
    }
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
