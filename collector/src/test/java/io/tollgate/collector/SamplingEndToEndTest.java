package io.tollgate.collector;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.tollgate.collector.testing.TestCollectors.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tollgate.collector.testing.ExportResults;
import io.tollgate.collector.testing.OtlpSink;
import io.tollgate.config.Components;
import io.tollgate.config.ConfigLoader;
import io.tollgate.core.model.Ids;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production sampling policy of {@code examples/gateway-sampling.yaml}, loaded from the file
 * itself (only addresses and waits overridden, as an operator would with {@code --set}), fed by the
 * OpenTelemetry SDK with a realistic mix of LLM traces: every trace with an error, a truncated
 * answer or an enterprise user arrives, whole; 10% of the rest arrives, whole; nothing arrives in
 * pieces, not even when a tool span ends after its root and reaches the collector after the trace's
 * decision.
 */
class SamplingEndToEndTest {

  private static final int TRACES = 200;
  // gpt-4o: 1000 x $2.50/M + 200 x $10/M per call.
  private static final long INPUT_TOKENS = 1000;
  private static final long OUTPUT_TOKENS = 200;
  private static final double COST_PER_CALL = 0.0045;

  enum Kind {
    ERROR("errors"),
    TRUNCATED("truncated"),
    ENTERPRISE("premium-users"),
    PLAIN("baseline-10pct");

    final String policy;

    Kind(String policy) {
      this.policy = policy;
    }
  }

  /** What the application sent for one trace. */
  /**
   * What the application sent for one trace.
   *
   * @param lateTool whether its tool span ended after the root (an async tool call), so that it
   *     reaches the collector only after the trace was decided
   */
  record Sent(
      String traceId, Kind kind, int spans, int llmCalls, boolean priced, boolean lateTool) {}

  /** Spans that end after their trace's root, in a second export. */
  private final List<Span> lateSpans = new ArrayList<>();

  private OtlpSink backend;
  private Collector collector;
  private int grpcPort;

  @BeforeEach
  void start() throws Exception {
    backend = new OtlpSink();
    grpcPort = freePort();
    collector =
        Collector.start(
            ConfigLoader.builder()
                .components(Components.load())
                .env(Map.of("OTLP_GRPC_ENDPOINT", backend.endpoint()))
                .build()
                .load(
                    // Surefire runs in the module directory; the examples are at the root.
                    List.of(Path.of("..", "examples", "gateway-sampling.yaml").toString()),
                    List.of(
                        "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:" + grpcPort,
                        "receivers.otlp.protocols.http.endpoint=127.0.0.1:" + freePort(),
                        "extensions.health_check.endpoint=127.0.0.1:" + freePort(),
                        "service.shutdown_delay=0s",
                        "processors.tail_sampling.decision_wait=5s",
                        "processors.tail_sampling.decision_wait_after_root=200ms",
                        "exporters.otlp/backend.retry_on_failure="
                            + "{initial_interval: 20ms, max_interval: 100ms}",
                        "service.telemetry.metrics.level=none")));
  }

  @AfterEach
  void stop() throws Exception {
    if (collector != null) {
      collector.shutdown();
    }
    backend.close();
  }

  @Test
  void keepsEveryImportantTraceAndTenPercentOfTheRestAlwaysWhole() {
    ExportResults exports =
        new ExportResults(
            OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort).build());
    SdkTracerProvider provider = provider(exports);
    Map<String, Sent> sent;
    try {
      sent = send(provider.get("e2e"));
      provider.forceFlush().join(10, TimeUnit.SECONDS);
      // Several exports: the spans of one trace may be split over two requests.
      assertThat(exports.results()).hasSizeGreaterThan(2);
      List<Sent> mustKeep = sent.values().stream().filter(s -> s.kind() != Kind.PLAIN).toList();
      // Every important trace is decided by its root, without its late tool span...
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(missing(mustKeep, true)).isEmpty());
      // ... and then the late tool spans end and are exported: they must follow their trace's
      // decision (forwarded if it was kept, dropped if not), never arrive alone.
      lateSpans.forEach(Span::end);
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(exports.results()).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
    assertThat(lateSpans).hasSizeGreaterThan(50);

    List<Sent> mustKeep = sent.values().stream().filter(s -> s.kind() != Kind.PLAIN).toList();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(missing(mustKeep, false)).isEmpty());
    // Shutdown decides whatever is still buffered and flushes it: after it, the backend has all
    // it will ever get.
    collector.shutdown();
    collector = null;

    List<io.opentelemetry.proto.trace.v1.Span> spans = backend.spans();
    Set<String> spanIds = new HashSet<>();
    for (var span : spans) {
      assertThat(spanIds.add(Ids.toHex(span.getSpanId())))
          .as("span %s arrived twice", span.getName())
          .isTrue();
    }

    Map<String, Integer> counts = spanCountsByTrace();
    for (Map.Entry<String, Integer> arrived : counts.entrySet()) {
      Sent s = sent.get(arrived.getKey());
      assertThat(s).as("trace %s was never sent", arrived.getKey()).isNotNull();
      assertThat(arrived.getValue())
          .as("%s trace %s arrived split", s.kind(), s.traceId())
          .isEqualTo(s.spans());
    }
    for (Sent s : mustKeep) {
      assertThat(counts).as("%s trace", s.kind()).containsEntry(s.traceId(), s.spans());
    }

    long plainSent = sent.values().stream().filter(s -> s.kind() == Kind.PLAIN).count();
    long plainKept =
        sent.values().stream()
            .filter(s -> s.kind() == Kind.PLAIN && counts.containsKey(s.traceId()))
            .count();
    // 140 plain traces, each kept with p = 0.1 by the trace id's hash: Binomial(140, 0.1), mean
    // 14, sd 3.55. The bounds [3, 35] (2%..25%) are 3.1 sd below and 5.9 sd above the mean: with
    // random trace ids P(kept <= 2) = 5.3e-5 and P(kept >= 36) < 1e-7, so about one run in 19,000
    // would fail for chance alone. The ids come from a seeded generator, so this run is
    // reproducible, yet a hash that kept all, none, or a wrong share would fail.
    assertThat(plainSent).isEqualTo(140);
    assertThat(plainKept).as("plain traces kept of %s", plainSent).isBetween(3L, 35L);

    Map<String, io.opentelemetry.proto.trace.v1.Span> roots = new HashMap<>();
    for (var span : spans) {
      if (span.getParentSpanId().isEmpty()) {
        roots.put(Ids.toHex(span.getTraceId()), span);
      }
    }
    assertThat(roots.keySet()).isEqualTo(counts.keySet());
    for (Map.Entry<String, io.opentelemetry.proto.trace.v1.Span> e : roots.entrySet()) {
      Sent s = sent.get(e.getKey());
      var root = e.getValue();
      String what = s.kind() + " trace " + s.traceId();
      assertThat(string(root, "tollgate.sampling.policy")).as(what).contains(s.kind().policy);
      assertThat(string(root, "tollgate.sampling.trigger")).as(what).isPresent();
      if (s.kind() != Kind.PLAIN) {
        // It arrived before shutdown, so its root decided it.
        assertThat(string(root, "tollgate.sampling.trigger")).as(what).contains("root");
      }
      assertThat(number(root, "tollgate.trace.llm_span_count"))
          .as(what)
          .contains((double) s.llmCalls());
      assertThat(number(root, "tollgate.trace.usage.input_tokens"))
          .as(what)
          .contains((double) INPUT_TOKENS * s.llmCalls());
      assertThat(number(root, "tollgate.trace.usage.output_tokens"))
          .as(what)
          .contains((double) OUTPUT_TOKENS * s.llmCalls());
      if (s.priced()) {
        assertThat(number(root, "tollgate.trace.usage.cost"))
            .as(what)
            .hasValueSatisfying(
                c -> assertThat(c).isCloseTo(COST_PER_CALL * s.llmCalls(), offset(1e-9)));
      } else {
        assertThat(attr(root, "tollgate.trace.usage.cost")).as(what).isEmpty();
      }
    }
  }

  /**
   * 200 traces as an LLM application exports them: a workflow root, one or two LLM calls and a tool
   * call below it. One in ten has a failed LLM call, one in ten an answer cut at its token limit
   * (half with the conventions' {@code gen_ai.response.finish_reasons}, half as OpenLLMetry writes
   * it), one in ten comes from an enterprise user; the rest are plain.
   */
  /** The traces of {@code expected} that have not arrived whole (or, early, without late spans). */
  private List<String> missing(List<Sent> expected, boolean early) {
    Map<String, Integer> counts = spanCountsByTrace();
    List<String> out = new ArrayList<>();
    for (Sent s : expected) {
      int want = early ? early(s) : s.spans();
      int got = counts.getOrDefault(s.traceId(), 0);
      if (got != want) {
        out.add(s.kind() + " trace " + s.traceId() + ": " + got + " of " + want + " spans");
      }
    }
    return out;
  }

  /** The spans of a trace that end before its root. */
  private static int early(Sent s) {
    return s.lateTool() ? s.spans() - 1 : s.spans();
  }

  private static SdkTracerProvider provider(ExportResults exporter) {
    return SdkTracerProvider.builder()
        .setResource(
            Resource.getDefault().toBuilder().put(stringKey("service.name"), "support-bot").build())
        .setIdGenerator(new SeededIds(20261122L))
        // Batches smaller than the run, so that a trace's spans may travel in two requests.
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(100).build())
        .build();
  }

  private Map<String, Sent> send(Tracer tracer) {
    Map<String, Sent> sent = new LinkedHashMap<>();
    for (int i = 0; i < TRACES; i++) {
      Kind kind =
          switch (i % 10) {
            case 0 -> Kind.ERROR;
            case 1 -> Kind.TRUNCATED;
            case 2 -> Kind.ENTERPRISE;
            default -> Kind.PLAIN;
          };
      int llmCalls = i % 3 == 0 ? 2 : 1;
      boolean priced = i % 7 != 0;
      boolean lateTool = i % 3 == 2;
      Span root = tracer.spanBuilder("support_workflow.workflow").startSpan();
      root.setAttribute("traceloop.span.kind", "workflow");
      root.setAttribute("user.tier", kind == Kind.ENTERPRISE ? "enterprise" : "free");
      try (Scope ignored = root.makeCurrent()) {
        llmCall(tracer, kind, priced, i % 20 == 1);
        Span tool =
            tracer
                .spanBuilder("execute_tool search_docs")
                .setSpanKind(SpanKind.INTERNAL)
                .startSpan();
        tool.setAttribute("gen_ai.operation.name", "execute_tool");
        tool.setAttribute("gen_ai.tool.name", "search_docs");
        if (lateTool) {
          lateSpans.add(tool);
        } else {
          tool.end();
        }
        if (llmCalls == 2) {
          llmCall(tracer, Kind.PLAIN, priced, false);
        }
      }
      root.end();
      String traceId = root.getSpanContext().getTraceId();
      sent.put(traceId, new Sent(traceId, kind, 2 + llmCalls, llmCalls, priced, lateTool));
    }
    return sent;
  }

  private static void llmCall(Tracer tracer, Kind kind, boolean priced, boolean openLlmetry) {
    String model = priced ? "gpt-4o" : "acme-internal-llm";
    Span llm = tracer.spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT).startSpan();
    if (openLlmetry) {
      // OpenLLMetry before semconv-ai 0.5: deprecated names, indexed completions.
      llm.setAttribute("llm.request.type", "chat");
      llm.setAttribute("gen_ai.system", "OpenAI");
      llm.setAttribute("gen_ai.request.model", model);
      llm.setAttribute("gen_ai.usage.prompt_tokens", INPUT_TOKENS);
      llm.setAttribute("gen_ai.usage.completion_tokens", OUTPUT_TOKENS);
      llm.setAttribute("gen_ai.completion.0.role", "assistant");
      llm.setAttribute("gen_ai.completion.0.content", "The refund policy says");
      llm.setAttribute(
          "gen_ai.completion.0.finish_reason", kind == Kind.TRUNCATED ? "length" : "stop");
    } else {
      llm.setAttribute("gen_ai.operation.name", "chat");
      llm.setAttribute("gen_ai.provider.name", "openai");
      llm.setAttribute("gen_ai.request.model", model);
      llm.setAttribute("gen_ai.usage.input_tokens", INPUT_TOKENS);
      llm.setAttribute("gen_ai.usage.output_tokens", OUTPUT_TOKENS);
      llm.setAttribute(
          io.opentelemetry.api.common.AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"),
          List.of(kind == Kind.TRUNCATED ? "length" : "stop"));
    }
    if (kind == Kind.ERROR) {
      llm.setAttribute("error.type", "RateLimitError");
      llm.setStatus(StatusCode.ERROR, "Rate limit reached for gpt-4o");
    }
    llm.end();
  }

  private Map<String, Integer> spanCountsByTrace() {
    return backend.spans().stream()
        .collect(
            Collectors.groupingBy(s -> Ids.toHex(s.getTraceId()), Collectors.summingInt(s -> 1)));
  }

  private static Optional<AnyValue> attr(io.opentelemetry.proto.trace.v1.Span span, String key) {
    return span.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue)
        .findFirst();
  }

  private static Optional<String> string(io.opentelemetry.proto.trace.v1.Span span, String key) {
    return attr(span, key).map(AnyValue::getStringValue);
  }

  /** A numeric attribute, whether sent as an int or a double. */
  private static Optional<Double> number(io.opentelemetry.proto.trace.v1.Span span, String key) {
    return attr(span, key)
        .map(
            v ->
                switch (v.getValueCase()) {
                  case INT_VALUE -> (double) v.getIntValue();
                  case DOUBLE_VALUE -> v.getDoubleValue();
                  default -> throw new AssertionError(key + " is not a number: " + v);
                });
  }

  /** Random ids from a fixed seed, so that the probabilistic share is the same on every run. */
  private static final class SeededIds implements IdGenerator {
    private final Random random;

    SeededIds(long seed) {
      random = new Random(seed);
    }

    @Override
    public synchronized String generateSpanId() {
      long id;
      do {
        id = random.nextLong();
      } while (id == 0);
      return String.format("%016x", id);
    }

    @Override
    public synchronized String generateTraceId() {
      long hi = random.nextLong();
      long lo;
      do {
        lo = random.nextLong();
      } while (lo == 0);
      return String.format("%016x%016x", hi, lo);
    }
  }
}
