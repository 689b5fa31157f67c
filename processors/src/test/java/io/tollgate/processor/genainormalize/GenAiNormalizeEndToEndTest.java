package io.tollgate.processor.genainormalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.otlp.OtlpJson;
import io.tollgate.core.pipeline.ExecutorHop;
import io.tollgate.core.pipeline.ObservedProcessor;
import io.tollgate.core.telemetry.MetricNames;
import io.tollgate.core.testing.RecordingConsumer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Spans as OTLP exporters put them on the wire (OTLP/JSON as the JavaScript and Python SDKs write
 * it — ints as numbers or as strings — and OTLP/protobuf), through the processor as the pipeline
 * runs it (found by ServiceLoader, behind an executor hop and the collector's item counters), and
 * back onto the wire in both encodings.
 */
class GenAiNormalizeEndToEndTest {

  /** Vercel AI SDK (JS exporter: ints as numbers), OpenInference (Python: ints as text), seed. */
  static final String REQUEST =
      """
      {
        "resourceSpans": [
          {
            "resource": {
              "attributes": [{"key": "service.name", "value": {"stringValue": "weather-app"}}]
            },
            "scopeSpans": [
              {
                "scope": {"name": "ai"},
                "spans": [
                  {
                    "traceId": "5b8efff798038103d269b633813fc60c",
                    "spanId": "eee19b7ec3c1b174",
                    "parentSpanId": "eee19b7ec3c1b173",
                    "name": "ai.generateText.doGenerate",
                    "kind": 1,
                    "startTimeUnixNano": "1717000000000000000",
                    "endTimeUnixNano": "1717000001000000000",
                    "attributes": [
                      {
                        "key": "operation.name",
                        "value": {"stringValue": "ai.generateText.doGenerate"}
                      },
                      {
                        "key": "ai.operationId",
                        "value": {"stringValue": "ai.generateText.doGenerate"}
                      },
                      {"key": "ai.model.provider", "value": {"stringValue": "openai.chat"}},
                      {"key": "ai.model.id", "value": {"stringValue": "gpt-4o-mini"}},
                      {
                        "key": "ai.prompt.messages",
                        "value": {
                          "stringValue": "[{\\"role\\":\\"user\\",\\"content\\":\\"Weather in Paris?\\"}]"
                        }
                      },
                      {"key": "gen_ai.system", "value": {"stringValue": "openai.chat"}},
                      {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o-mini"}},
                      {"key": "ai.response.finishReason", "value": {"stringValue": "length"}},
                      {"key": "ai.response.text", "value": {"stringValue": "It is sunny"}},
                      {"key": "ai.usage.promptTokens", "value": {"intValue": 62}},
                      {"key": "ai.usage.completionTokens", "value": {"intValue": 15}},
                      {
                        "key": "gen_ai.response.finish_reasons",
                        "value": {"arrayValue": {"values": [{"stringValue": "length"}]}}
                      },
                      {"key": "gen_ai.usage.input_tokens", "value": {"intValue": 62}},
                      {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 15}}
                    ],
                    "status": {}
                  }
                ]
              },
              {
                "scope": {"name": "openinference.instrumentation.openai"},
                "spans": [
                  {
                    "traceId": "5b8efff798038103d269b633813fc60c",
                    "spanId": "eee19b7ec3c1b175",
                    "name": "ChatCompletion",
                    "kind": "SPAN_KIND_INTERNAL",
                    "startTimeUnixNano": "1717000002000000000",
                    "endTimeUnixNano": "1717000003000000000",
                    "attributes": [
                      {"key": "openinference.span.kind", "value": {"stringValue": "LLM"}},
                      {"key": "llm.provider", "value": {"stringValue": "openai"}},
                      {"key": "llm.system", "value": {"stringValue": "openai"}},
                      {"key": "llm.model_name", "value": {"stringValue": "gpt-4o-2024-08-06"}},
                      {"key": "llm.token_count.prompt", "value": {"intValue": "1200"}},
                      {"key": "llm.token_count.completion", "value": {"intValue": "300"}},
                      {
                        "key": "llm.token_count.prompt_details.cache_read",
                        "value": {"intValue": "1024"}
                      },
                      {"key": "llm.token_count.total", "value": {"intValue": "1500"}}
                    ]
                  },
                  {
                    "traceId": "5b8efff798038103d269b633813fc60c",
                    "spanId": "eee19b7ec3c1b176",
                    "name": "openai.chat.completions",
                    "kind": 3,
                    "attributes": [
                      {"key": "llm.vendor", "value": {"stringValue": "openai"}},
                      {"key": "llm.model", "value": {"stringValue": "gpt-4"}},
                      {"key": "llm.tokens.input", "value": {"intValue": "150"}},
                      {"key": "llm.tokens.output", "value": {"doubleValue": 200.0}},
                      {"key": "llm.cost", "value": {"doubleValue": 0.0135}}
                    ]
                  },
                  {
                    "traceId": "5b8efff798038103d269b633813fc60c",
                    "spanId": "eee19b7ec3c1b177",
                    "name": "GET /weather",
                    "kind": 2,
                    "attributes": [{"key": "http.request.method", "value": {"stringValue": "GET"}}]
                  }
                ]
              }
            ]
          }
        ]
      }
      """;

  enum Encoding {
    JSON,
    PROTOBUF
  }

  private final ExecutorService workers = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    workers.shutdownNow();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void everyDialectComesOutCanonicalOverEveryEncoding(Encoding encoding) throws Exception {
    ExportTraceServiceRequest in = OtlpJson.decodeRequest(REQUEST.getBytes(StandardCharsets.UTF_8));
    if (encoding == Encoding.PROTOBUF) {
      in = ExportTraceServiceRequest.parseFrom(in.toByteArray());
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RecordingConsumer exporter = new RecordingConsumer();
    TracesConsumer pipeline = pipeline(registry, exporter);

    pipeline.consume(TraceBatch.of(in)).toCompletableFuture().get();

    ExportTraceServiceRequest wire = exporter.batches().get(0).toRequest();
    ExportTraceServiceRequest out =
        encoding == Encoding.JSON
            ? OtlpJson.decodeRequest(OtlpJson.encodeRequest(wire).getBytes(StandardCharsets.UTF_8))
            : ExportTraceServiceRequest.parseFrom(wire.toByteArray());
    Map<String, SpanRecord> spans =
        TraceBatch.of(out).spans().stream()
            .collect(Collectors.toMap(SpanRecord::name, Function.identity()));

    SpanRecord vercel = spans.get("ai.generateText.doGenerate");
    assertThat(vercel.attributes().getString("gen_ai.provider.name")).isEqualTo("openai");
    assertThat(vercel.attributes().getString("gen_ai.request.model")).isEqualTo("gpt-4o-mini");
    assertThat(vercel.attributes().get("gen_ai.usage.input_tokens").getIntValue()).isEqualTo(62);
    assertThat(vercel.attributes().get("gen_ai.usage.output_tokens").getIntValue()).isEqualTo(15);
    assertThat(vercel.attributes().getString("gen_ai.operation.name")).isEqualTo("chat");
    assertThat(Fixture.values(vercel))
        .containsEntry("gen_ai.response.finish_reasons", java.util.List.of("length"));
    assertThat(vercel.attributes().contains("ai.usage.promptTokens")).isFalse();
    assertThat(vercel.parentSpanId())
        .isEqualTo(in.getResourceSpans(0).getScopeSpans(0).getSpans(0).getParentSpanId());

    SpanRecord oi = spans.get("ChatCompletion");
    assertThat(oi.attributes().getString("gen_ai.provider.name")).isEqualTo("openai");
    assertThat(oi.attributes().getString("gen_ai.request.model")).isEqualTo("gpt-4o-2024-08-06");
    assertThat(oi.attributes().get("gen_ai.usage.input_tokens").getIntValue()).isEqualTo(1200);
    assertThat(oi.attributes().get("gen_ai.usage.output_tokens").getIntValue()).isEqualTo(300);
    assertThat(oi.attributes().get("gen_ai.usage.cache_read.input_tokens").getIntValue())
        .isEqualTo(1024);
    assertThat(oi.scopeName()).isEqualTo("openinference.instrumentation.openai");

    SpanRecord seed = spans.get("openai.chat.completions");
    assertThat(seed.attributes().getString("gen_ai.provider.name")).isEqualTo("openai");
    assertThat(seed.attributes().getString("gen_ai.request.model")).isEqualTo("gpt-4");
    assertThat(seed.attributes().get("gen_ai.usage.input_tokens").getIntValue()).isEqualTo(150);
    assertThat(seed.attributes().get("gen_ai.usage.output_tokens").getIntValue()).isEqualTo(200);
    assertThat(seed.attributes().get("gen_ai.usage.cost").getDoubleValue()).isEqualTo(0.0135);

    SpanRecord http = spans.get("GET /weather");
    assertThat(Fixture.values(http)).containsOnlyKeys("http.request.method");
    assertThat(http.serviceName()).isEqualTo("weather-app");

    assertThat(counter(registry, MetricNames.PROCESSOR_INCOMING_ITEMS)).isEqualTo(4);
    assertThat(counter(registry, MetricNames.PROCESSOR_OUTGOING_ITEMS)).isEqualTo(4);
    for (String dialect : new String[] {"vercel_ai", "openinference", "adhoc"}) {
      assertThat(registry.find(NormalizeMetrics.SPANS).tag("dialect", dialect).counter().count())
          .as(dialect)
          .isEqualTo(1);
    }
  }

  @Test
  void aSecondPassChangesNothing() throws Exception {
    ExportTraceServiceRequest in = OtlpJson.decodeRequest(REQUEST.getBytes(StandardCharsets.UTF_8));
    RecordingConsumer first = new RecordingConsumer();
    pipeline(new SimpleMeterRegistry(), first)
        .consume(TraceBatch.of(in))
        .toCompletableFuture()
        .get();
    ExportTraceServiceRequest once = first.batches().get(0).toRequest();

    RecordingConsumer second = new RecordingConsumer();
    pipeline(new SimpleMeterRegistry(), second)
        .consume(TraceBatch.of(once))
        .toCompletableFuture()
        .get();

    assertThat(second.batches().get(0).toRequest()).isEqualTo(once);
  }

  private TracesConsumer pipeline(SimpleMeterRegistry registry, TracesConsumer exporter) {
    @SuppressWarnings("unchecked")
    ProcessorFactory<GenAiNormalizeConfig> factory =
        ServiceLoader.load(ProcessorFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(f -> f.type().equals("genai_normalize"))
            .findFirst()
            .orElseThrow();
    String id = "genai_normalize";
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of(id))
            .pipeline("traces")
            .meterRegistry(registry)
            .workers(workers)
            .build();
    Processor p =
        factory.create(
            factory.defaultConfig(),
            ctx,
            ObservedProcessor.countingNext(exporter, registry, id, "traces"));
    return new ExecutorHop(workers, ObservedProcessor.wrap(p, registry, id, "traces"));
  }

  private static double counter(SimpleMeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
