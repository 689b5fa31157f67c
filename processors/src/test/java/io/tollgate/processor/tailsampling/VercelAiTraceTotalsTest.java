package io.tollgate.processor.tailsampling;

import static io.tollgate.processor.tailsampling.TestTraces.attr;
import static io.tollgate.processor.tailsampling.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.processor.genaicost.GenAiCostConfig;
import io.tollgate.processor.genaicost.GenAiCostProcessorFactory;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig;
import io.tollgate.processor.genainormalize.GenAiNormalizeProcessorFactory;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * A Vercel AI SDK trace through {@code genai_normalize → genai_cost → tail_sampling}, as the
 * default pipeline chains them: the wrapping {@code ai.generateText} / {@code ai.streamText} span
 * names the model (so it leaves normalisation with {@code gen_ai.request.model}) and repeats its
 * steps' usage, but only the model calls ({@code .doGenerate}, {@code .doStream}) are LLM spans.
 */
class VercelAiTraceTotalsTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final RecordingConsumer out = new RecordingConsumer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ByteString trace = TestTraces.traceId(new Random(7));
  private TailSamplingProcessor sampling;

  private TracesConsumer pipeline() {
    TailSamplingConfig config =
        ComponentConfigs.bindValid(
            ComponentKind.PROCESSOR,
            "tail_sampling",
            "policies:\n  - {name: all, type: always_sample}\n");
    TailSamplingProcessor sampling =
        new TailSamplingProcessor(config, context("tail_sampling"), out, clock::get);
    TracesConsumer cost =
        new GenAiCostProcessorFactory()
            .create(GenAiCostConfig.defaults(), context("genai_cost"), sampling);
    TracesConsumer normalize =
        new GenAiNormalizeProcessorFactory()
            .create(GenAiNormalizeConfig.defaults(), context("genai_normalize"), cost);
    this.sampling = sampling;
    return normalize;
  }

  private ComponentContext context(String id) {
    return ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of(id))
        .pipeline("traces")
        .meterRegistry(registry)
        .workers(Runnable::run)
        .build();
  }

  /** The wrapper, as AI SDK 5 records it: the steps' summed usage, no gen_ai.* mirror. */
  private Span.Builder wrapper(String operationId, long in, long out) {
    Span.Builder s = span(trace, 2, 1, operationId, 5, 1900);
    attr(s, "operation.name", operationId + " weather-chat");
    attr(s, "ai.operationId", operationId);
    attr(s, "ai.model.provider", "openai.chat");
    attr(s, "ai.model.id", "gpt-4o-mini");
    attr(s, "ai.settings.maxRetries", 2L);
    attr(s, "ai.telemetry.functionId", "weather-chat");
    attr(s, "ai.prompt", "{\"prompt\":\"Weather in Paris?\"}");
    attr(s, "ai.response.finishReason", "stop");
    attr(s, "ai.response.text", "It is sunny in Paris.");
    attr(s, "ai.usage.promptTokens", in);
    attr(s, "ai.usage.completionTokens", out);
    return s;
  }

  /** One model call of the wrapper, with the span-level gen_ai.* mirror the SDK writes. */
  private Span.Builder step(
      long id, String operationId, long startMs, long in, long out, String finishReason) {
    Span.Builder s = span(trace, id, 2, operationId, startMs, startMs + 800);
    attr(s, "operation.name", operationId + " weather-chat");
    attr(s, "ai.operationId", operationId);
    attr(s, "ai.model.provider", "openai.chat");
    attr(s, "ai.model.id", "gpt-4o-mini");
    attr(s, "ai.prompt.messages", "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]");
    attr(s, "ai.response.finishReason", finishReason);
    attr(s, "ai.usage.promptTokens", in);
    attr(s, "ai.usage.completionTokens", out);
    attr(s, "gen_ai.system", "openai.chat");
    attr(s, "gen_ai.request.model", "gpt-4o-mini");
    attr(s, "gen_ai.response.model", "gpt-4o-mini-2024-07-18");
    attr(s, "gen_ai.response.finish_reasons", List.of(finishReason));
    attr(s, "gen_ai.usage.input_tokens", in);
    attr(s, "gen_ai.usage.output_tokens", out);
    return s;
  }

  private Span.Builder toolCall() {
    Span.Builder s = span(trace, 4, 2, "ai.toolCall", 820, 840);
    attr(s, "operation.name", "ai.toolCall weather-chat");
    attr(s, "ai.operationId", "ai.toolCall");
    attr(s, "ai.toolCall.name", "weather");
    attr(s, "ai.toolCall.id", "call_9Xk");
    attr(s, "ai.toolCall.args", "{\"location\":\"Paris\"}");
    attr(s, "ai.toolCall.result", "{\"temperature\":21}");
    return s;
  }

  private SpanRecord decide(Span.Builder... spans) {
    TracesConsumer p = pipeline();
    assertThat(p.consume(TestTraces.batch(spans)).toCompletableFuture()).isCompleted();
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    sampling.tick();
    assertThat(out.spanCount()).isEqualTo(spans.length);
    return out.spans().stream().filter(SpanRecord::isRoot).findFirst().orElseThrow();
  }

  private SpanRecord named(String name) {
    return out.spans().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aGenerateTextWrapperIsNotCountedNorPriced() {
    SpanRecord root =
        decide(
            span(trace, 1, 0, "POST /api/chat", 0, 2000),
            wrapper("ai.generateText", 140, 33),
            step(3, "ai.generateText.doGenerate", 10, 62, 15, "tool-calls"),
            toolCall(),
            step(5, "ai.generateText.doGenerate", 850, 78, 18, "stop"));

    var a = root.attributes();
    assertThat(a.getLong(SamplingAttributes.TRACE_LLM_SPANS)).isEqualTo(2);
    assertThat(a.getLong(SamplingAttributes.TRACE_INPUT_TOKENS)).isEqualTo(140);
    assertThat(a.getLong(SamplingAttributes.TRACE_OUTPUT_TOKENS)).isEqualTo(33);

    // genai_cost priced each model call once and left the wrapper alone.
    SpanRecord wrapper = named("ai.generateText");
    assertThat(wrapper.attributes().getString("gen_ai.request.model")).isEqualTo("gpt-4o-mini");
    assertThat(wrapper.attributes().get("gen_ai.usage.cost")).isNull();
    assertThat(wrapper.attributes().get("gen_ai.usage.input_tokens")).isNull();
    double steps =
        out.spans().stream()
            .filter(s -> s.name().equals("ai.generateText.doGenerate"))
            .mapToDouble(s -> s.attributes().getDouble("gen_ai.usage.cost"))
            .sum();
    assertThat(steps).isPositive();
    assertThat(a.getDouble(SamplingAttributes.TRACE_COST)).isCloseTo(steps, Offset.offset(1e-12));
  }

  @Test
  void aStreamTextWrapperIsNotCounted() {
    SpanRecord root =
        decide(
            span(trace, 1, 0, "POST /api/chat", 0, 2000),
            wrapper("ai.streamText", 62, 15),
            step(3, "ai.streamText.doStream", 10, 62, 15, "stop"));

    assertThat(root.attributes().getLong(SamplingAttributes.TRACE_LLM_SPANS)).isEqualTo(1);
    assertThat(root.attributes().getLong(SamplingAttributes.TRACE_INPUT_TOKENS)).isEqualTo(62);
    assertThat(named("ai.streamText").attributes().get("gen_ai.usage.cost")).isNull();
  }
}
