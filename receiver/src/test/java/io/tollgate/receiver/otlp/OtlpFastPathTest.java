package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Valid OTLP/protobuf requests reach the pipeline as bytes, never decoded (the pass-through fast
 * path), over gRPC and HTTP, plain and gzip, from the OpenTelemetry SDK's own exporters; requests
 * with invalid span ids still get their partial-success answer.
 */
@Timeout(60)
class OtlpFastPathTest {

  private static TestReceiver server;
  private static ManagedChannel channel;

  /** Whether each batch was still undecoded when the pipeline got it. */
  private final List<Boolean> undecodedOnArrival = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestReceiver.start(TestReceiver.grpc(4), TestReceiver.http(ByteSize.ofMiB(4), null));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @BeforeEach
  void reset() {
    server.consumer.clear();
    server.consumer.answer(
        b -> {
          undecodedOnArrival.add(!b.isDecoded());
          return CompletableFuture.completedFuture(null);
        });
  }

  @Test
  void sdkExportersOverGrpcAndHttpDeliverUndecodedBatches() {
    List<SpanData> spans = GenAiSpans.agentWithChat();
    for (String compression : List.of("none", "gzip")) {
      export(
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + server.grpcPort())
              .setCompression(compression)
              .build(),
          spans);
      export(
          OtlpHttpSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + server.httpPort() + "/v1/traces")
              .setCompression(compression)
              .build(),
          spans);
    }
    assertThat(undecodedOnArrival).hasSize(4).containsOnly(true);
    // The bytes hold the spans the SDK sent, readable as soon as someone looks.
    List<TraceBatch> batches = server.consumer.batches();
    for (TraceBatch b : batches) {
      assertThat(b.spans())
          .extracting(SpanRecord::name)
          .containsExactlyInAnyOrder("invoke_agent support", "chat gpt-4o");
      assertThat(b.isDecoded()).isTrue();
    }
    SpanRecord chat =
        batches.get(0).spans().stream()
            .filter(s -> s.name().equals("chat gpt-4o"))
            .findFirst()
            .orElseThrow();
    assertThat(chat.attributes().getString("gen_ai.provider.name")).isEqualTo("openai");
    assertThat(chat.resourceAttributes().getString("service.name")).isEqualTo("support-bot");
  }

  @Test
  void aLargeUncompressedGrpcRequestArrivesWhole() {
    // About 2.5 MB: gRPC hands it over in many HTTP/2 frames, so it is read out of a composite
    // buffer, well past any 8 KiB chunk; every byte must land where it belongs.
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; prompt.length() < 12_000; i++) {
      prompt.append("word").append(i).append(i % 7 == 0 ? " café 東京 " : " ");
    }
    var memory = io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    var provider =
        io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
            .addSpanProcessor(
                io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(memory))
            .build();
    var tracer = provider.get("io.opentelemetry.openai-java-1.1", "2.18.0-alpha");
    for (int i = 0; i < 200; i++) {
      tracer
          .spanBuilder("chat " + i)
          .setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.input.messages", i + ":" + prompt)
          .startSpan()
          .end();
    }
    List<SpanData> spans = memory.getFinishedSpanItems();
    provider.shutdown();
    export(
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.grpcPort())
            .setCompression("none")
            .build(),
        spans);
    assertThat(undecodedOnArrival).containsExactly(true);
    TraceBatch batch = server.consumer.batches().get(0);
    assertThat(batch.serializedSize()).isGreaterThan(2_000_000);
    List<SpanRecord> got = batch.spans();
    assertThat(got).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(got.get(i).name()).isEqualTo("chat " + i);
      assertThat(got.get(i).attributes().getString("gen_ai.input.messages"))
          .isEqualTo(i + ":" + prompt);
    }
  }

  private static void export(SpanExporter exporter, List<SpanData> spans) {
    try {
      assertThat(exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void invalidIdsStillGetAPartialSuccess() {
    // The SDK never makes invalid ids; a buggy client does. The last trace_id of a span wins.
    byte[] goodSpan = span("good", Spans.traceId(1).toByteArray());
    byte[] zeroTraceIdLast =
        concat(span("bad", Spans.traceId(2).toByteArray()), traceId(new byte[16]));
    byte[] zeroTraceIdFirst =
        concat(traceId(new byte[16]), span("repaired", Spans.traceId(3).toByteArray()));

    ExportTraceServiceResponse partial = rawExport(request(goodSpan, zeroTraceIdLast));
    assertThat(partial.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(partial.getPartialSuccess().getErrorMessage())
        .startsWith("1 span rejected: trace_id must not be all zeros (span 'bad')");
    assertThat(undecodedOnArrival).containsExactly(false); // decoded to drop the bad span
    assertThat(server.consumer.spans()).extracting(SpanRecord::name).containsExactly("good");

    server.consumer.clear();
    ExportTraceServiceResponse whole = rawExport(request(goodSpan, zeroTraceIdFirst));
    assertThat(whole.hasPartialSuccess()).isFalse();
    assertThat(undecodedOnArrival).containsExactly(false, true); // the fast path
    assertThat(server.consumer.spans())
        .extracting(SpanRecord::name)
        .containsExactly("good", "repaired");
  }

  // --- raw requests -------------------------------------------------------------------------

  private static ExportTraceServiceResponse rawExport(byte[] request) {
    return ClientCalls.blockingUnaryCall(
        channel,
        RawExportMethod.EXPORT,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        request);
  }

  private static byte[] span(String name, byte[] traceId) {
    return Span.newBuilder()
        .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
        .setSpanId(Spans.randomSpanId())
        .setName(name)
        .build()
        .toByteArray();
  }

  private static byte[] traceId(byte[] id) {
    return concat(new byte[] {0x0a, (byte) id.length}, id);
  }

  /** One resource, one scope, the given encoded spans. */
  private static byte[] request(byte[]... spans) {
    ByteArrayOutputStream scope = new ByteArrayOutputStream();
    for (byte[] s : spans) {
      scope.writeBytes(field(2, s));
    }
    return field(1, field(2, scope.toByteArray()));
  }

  private static byte[] field(int number, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((number << 3) | 2);
    int v = content.length;
    while ((v & ~0x7f) != 0) {
      out.write((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write(v);
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
