package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.config.testing.FakeReceiverFactory.FakeReceiver;
import io.tollgate.config.testing.MemoryExporterFactory;
import io.tollgate.config.testing.MemoryExporterFactory.MemoryExporter;
import io.tollgate.config.testing.TagProcessorFactory.TagProcessor;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ConfigIssues.Issue;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.pipeline.Service;
import io.tollgate.core.telemetry.MetricNames;
import io.tollgate.core.testing.Spans;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceAssemblerTest {

  private final TestComponents test = new TestComponents();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
  private final ServiceAssembler.Resources resources =
      new ServiceAssembler.Resources(registry, threads, threads);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static final String TWO_PIPELINES =
      String.join(
          "\n",
          "receivers:",
          "  otlp: {}",
          "processors:",
          "  tag/a: {key: seen.by.a, value: 'yes'}",
          "  tag/b: {key: seen.by.b, value: 'yes'}",
          "  batch: {}",
          "  tag/unused: {}",
          "exporters:",
          "  otlp/tempo: {endpoint: tempo:4317}",
          "  debug: {endpoint: stdout}",
          "  otlp/unused: {endpoint: nowhere:4317}",
          "service:",
          "  pipelines:",
          "    traces:",
          "      receivers: [otlp]",
          "      processors: [tag/a, batch]",
          "      exporters: [otlp/tempo, debug]",
          "    traces/raw:",
          "      receivers: [otlp]",
          "      processors: [tag/b]",
          "      exporters: [debug]",
          "");

  @Test
  void routesSpansFromTheReceiverThroughEachPipelineToItsExporters() throws Exception {
    CollectorConfig config = test.loader().loadYaml(TWO_PIPELINES);
    // Only settings are printed, not the config record's helper methods.
    assertThat(config.toYaml()).contains("key: seen.by.a").doesNotContain("default_key");
    ServiceAssembler.Assembly assembly = ServiceAssembler.assemble(config, resources);
    Service service = assembly.service();
    service.start();

    // One receiver, one instance per exporter, processors per pipeline; unused ones not built.
    assertThat(test.receivers.created).containsOnlyKeys("otlp");
    assertThat(test.otlpGrpc.created).containsOnlyKeys("otlp/tempo");
    assertThat(test.debug.created).containsOnlyKeys("debug");
    assertThat(test.tag.created)
        .extracting(p -> p.context.id() + "@" + p.context.pipeline())
        .containsExactlyInAnyOrder("tag/a@traces", "tag/b@traces/raw");
    assertThat(test.batch.created).extracting(p -> p.context.pipeline()).containsExactly("traces");

    FakeReceiver receiver = test.receivers.created.get("otlp");
    TraceBatch batch =
        Spans.batch(
            Spans.span("chat gpt-4o", Map.of("gen_ai.request.model", "gpt-4o")),
            Spans.span("embeddings", Map.of("gen_ai.request.model", "text-embedding-3")));
    receiver.push(batch).toCompletableFuture().get();

    MemoryExporter tempo = test.otlpGrpc.created.get("otlp/tempo");
    MemoryExporter debug = test.debug.created.get("debug");
    await().until(() -> tempo.received.spanCount() == 2 && debug.received.spanCount() == 4);
    for (SpanRecord s : tempo.received.spans()) {
      assertThat(s.attributes().getString("seen.by.a")).isEqualTo("yes");
      assertThat(s.attributes().getString("tagged.by")).isEqualTo("batch");
      assertThat(s.attributes().get("seen.by.b")).isNull();
    }
    // The debug exporter gets both pipelines' batches; each pipeline changed its own copy.
    List<TraceBatch> debugBatches = debug.received.batches();
    assertThat(debugBatches).hasSize(2);
    long fromTraces =
        debug.received.spans().stream()
            .filter(s -> s.attributes().get("seen.by.a") != null)
            .peek(s -> assertThat(s.attributes().get("seen.by.b")).isNull())
            .count();
    long fromRaw =
        debug.received.spans().stream()
            .filter(s -> s.attributes().get("seen.by.b") != null)
            .peek(s -> assertThat(s.attributes().get("seen.by.a")).isNull())
            .count();
    assertThat(fromTraces).isEqualTo(2);
    assertThat(fromRaw).isEqualTo(2);

    // Every processor is counted, per pipeline.
    assertThat(
            registry
                .get(MetricNames.PROCESSOR_INCOMING_ITEMS)
                .tag(MetricNames.PROCESSOR, "tag/a")
                .tag(MetricNames.PIPELINE, "traces")
                .counter()
                .count())
        .isEqualTo(2.0);
    assertThat(
            registry
                .get(MetricNames.PROCESSOR_OUTGOING_ITEMS)
                .tag(MetricNames.PROCESSOR, "tag/b")
                .tag(MetricNames.PIPELINE, "traces/raw")
                .counter()
                .count())
        .isEqualTo(2.0);

    assertThat(assembly.pipelines())
        .containsExactly(
            "traces: otlp -> tag/a -> batch -> otlp/tempo, debug", "traces/raw: otlp -> tag/b -> debug");
    assertThat(assembly.listening())
        .containsExactly(
            "otlp.protocols.grpc on localhost:4317", "otlp.protocols.http on localhost:4318");

    service.shutdown(Duration.ofSeconds(1));
    // Processors stop from the first to the last of each pipeline, pipelines in file order.
    assertThat(test.tag.shutdowns).containsExactly("tag/a@traces", "tag/b@traces/raw");
    assertThat(receiver.stopped).isTrue();
    assertThat(tempo.stopped).isTrue();
  }

  @Test
  void componentsSeeWhetherEveryPipelineIsReady() throws Exception {
    CollectorConfig config = test.loader().loadYaml(TWO_PIPELINES);
    Service service = ServiceAssembler.assemble(config, resources).service();
    ComponentContext ctx = test.otlpGrpc.created.get("otlp/tempo").context;
    assertThat(ctx.pipelinesReady()).isFalse();
    service.start();
    assertThat(ctx.pipelinesReady()).isTrue();
    service.shutdown(Duration.ofSeconds(1));
    assertThat(ctx.pipelinesReady()).isFalse();
    assertThat(ctx.meterRegistry()).isSameAs(registry);
    assertThat(ctx.scheduler()).isSameAs(threads);
  }

  @Test
  void aFactoryThatRefusesItsConfigIsReportedWithItsPath() throws Exception {
    MemoryExporterFactory failing =
        new MemoryExporterFactory("debug") {
          @Override
          public Exporter create(Config config, ComponentContext context) {
            throw new IllegalArgumentException("cannot open stdout");
          }
        };
    ConfigLoader loader =
        ConfigLoader.builder()
            .components(Components.of(test.receivers, test.tag, test.batch, test.otlpGrpc, failing))
            .env(Map.of())
            .build();
    CollectorConfig config = loader.loadYaml(TWO_PIPELINES);
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ServiceAssembler.assemble(config, resources));
    assertThat(e.problems().stream().map(Issue::toString))
        .containsExactly("exporters.debug: cannot be created: cannot open stdout");
  }

  @Test
  void endpointsInLogsLoseTheirCredentials() {
    assertThat(ServiceAssembler.withoutUserInfo("https://pk:sk-lf-1@cloud.langfuse.com/api"))
        .isEqualTo("https://[REDACTED]@cloud.langfuse.com/api");
    assertThat(ServiceAssembler.withoutUserInfo("user:pw@tempo:4317"))
        .isEqualTo("[REDACTED]@tempo:4317");
    assertThat(ServiceAssembler.withoutUserInfo("0.0.0.0:4317")).isEqualTo("0.0.0.0:4317");
  }
}
