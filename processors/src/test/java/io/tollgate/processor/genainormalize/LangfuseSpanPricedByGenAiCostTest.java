package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import io.tollgate.processor.genaicost.GenAiCostConfig;
import io.tollgate.processor.genaicost.GenAiCostProcessorFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code genai_normalize} then {@code genai_cost}, as a pipeline chains them, without a collector:
 * a generation the Langfuse SDK wrote carries no {@code gen_ai.usage.*} of its own, and is priced
 * only once its usage details are read.
 */
class LangfuseSpanPricedByGenAiCostTest {

  private final RecordingConsumer priced = new RecordingConsumer();

  private Processor chain(boolean normalize) {
    Processor cost =
        new GenAiCostProcessorFactory()
            .create(GenAiCostConfig.defaults(), context("genai_cost"), priced);
    if (!normalize) {
      return cost;
    }
    return new GenAiNormalizeProcessorFactory()
        .create(GenAiNormalizeConfig.defaults(), context("genai_normalize"), cost);
  }

  private static ComponentContext context(String id) {
    return ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of(id))
        .pipeline("traces")
        .build();
  }

  /** Python SDK v3 OpenAI integration: OpenAI's usage object, 1024 of 2000 prompt tokens cached. */
  private static Span.Builder pythonOpenAiGeneration() {
    return span(
        "OpenAI-generation",
        "langfuse.observation.type", "generation",
        "langfuse.observation.model.name", "gpt-4o-mini-2024-07-18",
        "langfuse.observation.usage_details",
            "{\"completion_tokens\": 500, \"prompt_tokens\": 2000, \"total_tokens\": 2500,"
                + " \"prompt_tokens_details\": {\"audio_tokens\": 0, \"cached_tokens\": 1024}}");
  }

  private SpanRecord run(Processor p, Span.Builder s) {
    priced.clear();
    p.consume(Spans.batch(s)).toCompletableFuture().join();
    return priced.spans().get(0);
  }

  @Test
  void aLangfuseGenerationIsPricedFromItsUsageDetails() {
    SpanRecord out = run(chain(true), pythonOpenAiGeneration());

    // gpt-4o-mini (bundled prices, USD per 1M): 976 uncached × 0.15 + 1024 cached × 0.075
    // + 500 output × 0.60 = 146.4 + 76.8 + 300 = 523.2 per 1M tokens.
    assertThat(out.attributes().getDouble("gen_ai.usage.cost")).isEqualTo(0.0005232);
    assertThat(out.attributes().getString("tollgate.cost.price_model")).isEqualTo("gpt-4o-mini");
  }

  @Test
  void withoutNormalisingItIsNotPriced() {
    SpanRecord out = run(chain(false), pythonOpenAiGeneration());
    assertThat(out.attributes().get("gen_ai.usage.cost")).isNull();
  }
}
