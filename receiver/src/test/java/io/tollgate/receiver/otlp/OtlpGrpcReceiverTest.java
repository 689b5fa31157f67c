package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.Compressor;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tollgate.core.component.PermanentException;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.telemetry.MetricNames;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** OTLP/gRPC through real clients: the OpenTelemetry SDK's exporter and raw grpc-java stubs. */
@Timeout(60)
class OtlpGrpcReceiverTest {

  private static final int LIMIT_MIB = 4;

  private static TestReceiver server;
  private static ManagedChannel channel;

  /** Marks messages "gzip" but sends them as they are: for bytes that are gzip already. */
  private static ManagedChannel preGzipChannel;

  @BeforeAll
  static void start() throws Exception {
    server = TestReceiver.start(TestReceiver.grpc(LIMIT_MIB), null);
    CompressorRegistry compressors = CompressorRegistry.newEmptyInstance();
    compressors.register(new io.grpc.Codec.Gzip());
    compressors.register(new ZstdCompressor());
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
            .usePlaintext()
            .compressorRegistry(compressors)
            .build();
    CompressorRegistry preGzip = CompressorRegistry.newEmptyInstance();
    preGzip.register(new PreEncodedGzip());
    preGzipChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
            .usePlaintext()
            .compressorRegistry(preGzip)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    preGzipChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @BeforeEach
  void reset() {
    server.consumer.clear();
    server.consumer.answer(b -> CompletableFuture.completedFuture(null));
  }

  private static TraceServiceGrpc.TraceServiceBlockingStub stub() {
    return TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  // ---- real clients, happy paths ----

  @Test
  void sdkExporterDeliversGenAiSpans() {
    List<SpanData> spans = GenAiSpans.agentWithChat();
    for (String compression : List.of("none", "gzip")) {
      server.consumer.clear();
      OtlpGrpcSpanExporter exporter =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + server.grpcPort())
              .setCompression(compression)
              .build();
      try {
        assertThat(exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess())
            .as(compression)
            .isTrue();
      } finally {
        exporter.shutdown();
      }
      assertThat(server.consumer.spans())
          .extracting(SpanRecord::name)
          .containsExactlyInAnyOrder("invoke_agent support", "chat gpt-4o");
      SpanRecord chat =
          server.consumer.spans().stream()
              .filter(s -> s.name().equals("chat gpt-4o"))
              .findFirst()
              .orElseThrow();
      assertThat(chat.traceIdHex()).isEqualTo(spans.get(0).getTraceId());
      assertThat(chat.attributes().getString("gen_ai.provider.name")).isEqualTo("openai");
      assertThat(chat.attributes().getLong("gen_ai.usage.output_tokens")).isEqualTo(85L);
      assertThat(chat.resourceAttributes().getString("service.name")).isEqualTo("support-bot");
    }
    assertThat(server.counter(MetricNames.RECEIVER_ACCEPTED_SPANS, "grpc"))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void zstdCompressedRequests() {
    ExportTraceServiceResponse r = stub().withCompression("zstd").export(GenAiSpans.chatRequest());
    assertThat(r.hasPartialSuccess()).isFalse();
    assertThat(server.consumer.spanCount()).isEqualTo(1);
  }

  @Test
  void anEmptyRequestIsASuccess() {
    assertThat(stub().export(ExportTraceServiceRequest.getDefaultInstance()).hasPartialSuccess())
        .isFalse();
    assertThat(server.consumer.batches()).isEmpty();
  }

  @Test
  void spansWithInvalidIdsAreRejectedAndTheRestAccepted() {
    ExportTraceServiceResponse r = stub().export(GenAiSpans.requestWithBadIds());
    assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(r.getPartialSuccess().getErrorMessage())
        .startsWith("2 spans rejected: trace_id must be 16 bytes (span 'chat gpt-4o' had 3)");
    assertThat(server.consumer.spans())
        .extracting(SpanRecord::name)
        .containsExactly("execute_tool get_weather");
  }

  // ---- errors the client caused ----

  @Test
  void malformedMessagesAreInvalidArgument() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> rawCall(new byte[] {(byte) 0x0a, (byte) 0xff, 0x01}, null));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .contains("not a valid ExportTraceServiceRequest")
        .contains("do not resend");
    assertThat(server.requests("grpc", "failure")).isPositive();
  }

  @Test
  void aMessageOverTheLimitIsResourceExhaustedAndTheLogNamesTheKey() {
    double failuresBefore = server.requests("grpc", "failure");
    StatusRuntimeException e;
    List<String> lines;
    try (LogCapture logs = new LogCapture(GrpcOversizeLog.class)) {
      e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> stub().export(GenAiSpans.requestOfSize((LIMIT_MIB + 1) * 1024 * 1024)));
      // The tracer hears of the closed stream just after the client does.
      await().atMost(Duration.ofSeconds(10)).until(() -> !logs.lines().isEmpty());
      lines = logs.lines();
    }
    // grpc-java refuses it from the length prefix, before reading it, in its own words.
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).startsWith(GrpcOversizeLog.GRPC_JAVA_TEXT);
    assertThat(server.consumer.batches()).isEmpty();
    assertThat(lines)
        .singleElement(STRING)
        .startsWith("A gRPC request was refused because its message is larger than 4 MiB")
        .contains("raise receivers.otlp.protocols.grpc.max_recv_msg_size_mib");
    assertThat(server.requests("grpc", "failure")).isEqualTo(failuresBefore + 1);
    // The connection is fine: the next request on it goes through.
    stub().export(GenAiSpans.chatRequest());
    assertThat(server.consumer.batches()).hasSize(1);
  }

  @Test
  void aCompressedMessageOverTheLimitOnceInflatedIsResourceExhausted() {
    // A few KiB of gzip on the wire, 5 MiB of prompt once inflated.
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub()
                    .withCompression("gzip")
                    .export(GenAiSpans.requestOfSize((LIMIT_MIB + 1) * 1024 * 1024)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription())
        .contains("larger than 4 MiB once decompressed")
        .contains("receivers.otlp.protocols.grpc.max_recv_msg_size_mib");
    assertThat(StatusProto.fromThrowable(e).getDetailsList()).as("not retryable").isEmpty();
    assertThat(server.consumer.batches()).isEmpty();
  }

  @Test
  void aGzipBombIsCutOffAtTheLimit() throws Exception {
    byte[] bomb = GenAiSpans.gzipBomb(1024); // 1 GiB of zeros, about 1 MB on the wire
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> rawCall(bomb, "gzip"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("once decompressed");
  }

  // ---- what the pipeline answers ----

  @Test
  void throttledIsResourceExhaustedWithRetryInfo() throws Exception {
    server.consumer.answer(
        b ->
            CompletableFuture.failedFuture(
                RefusedException.throttled("exporter queue is full", Duration.ofSeconds(2))));
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub().export(GenAiSpans.chatRequest()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).startsWith("exporter queue is full. Retry after 2s");
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status.getDetailsList())
        .singleElement()
        .satisfies(
            d -> assertThat(d.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(2));
    assertThat(server.counter(MetricNames.RECEIVER_REFUSED_SPANS, "grpc")).isPositive();
    assertThat(server.requests("grpc", "refused")).isPositive();
  }

  @Test
  void theSdkExporterSeesThrottlingAsAFailure() {
    server.consumer.answer(
        b -> CompletableFuture.failedFuture(RefusedException.throttled("queue full", null)));
    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.grpcPort())
            .setRetryPolicy(null)
            .build();
    try {
      assertThat(exporter.export(GenAiSpans.agentWithChat()).join(10, TimeUnit.SECONDS).isSuccess())
          .isFalse();
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void unavailableAndUnexpectedFailuresAreUnavailable() {
    server.consumer.answer(
        b ->
            CompletableFuture.failedFuture(
                RefusedException.unavailable("the pipeline is starting")));
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub().export(GenAiSpans.chatRequest()));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getStatus().getDescription())
        .startsWith("the pipeline is starting. Retry later");

    server.consumer.answer(
        b -> {
          throw new IllegalStateException("boom");
        });
    StatusRuntimeException broken;
    List<String> lines;
    try (LogCapture logs = new LogCapture(ExportService.class)) {
      broken =
          catchThrowableOfType(
              StatusRuntimeException.class, () -> stub().export(GenAiSpans.chatRequest()));
      lines = logs.lines();
    }
    assertThat(broken.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(broken.getStatus().getDescription()).contains("IllegalStateException: boom");
    assertThat(lines)
        .contains(
            "otlp: the pipeline failed unexpectedly on 1 span; answering UNAVAILABLE so that the"
                + " sender retries");
    assertThat(server.counter(MetricNames.RECEIVER_FAILED_SPANS, "grpc")).isPositive();

    // An Error in the pipeline (a processor's StackOverflowError) is answered too, not left
    // hanging.
    server.consumer.answer(
        b -> {
          throw new StackOverflowError("deep");
        });
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub()
                    .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                    .export(GenAiSpans.chatRequest()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(error.getStatus().getDescription()).contains("StackOverflowError: deep");
  }

  @Test
  void permanentFailuresAreInvalidArgumentOrInternal() {
    server.consumer.answer(
        b -> CompletableFuture.failedFuture(new PermanentException("cannot redact", true)));
    StatusRuntimeException bad =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub().export(GenAiSpans.chatRequest()));
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    server.consumer.answer(
        b -> CompletableFuture.failedFuture(new PermanentException("misconfigured", false)));
    StatusRuntimeException internal =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub().export(GenAiSpans.chatRequest()));
    assertThat(internal.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void theAnswerWaitsForThePipeline() throws Exception {
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    server.consumer.answer(b -> accepted);
    ListenableFuture<ExportTraceServiceResponse> response =
        TraceServiceGrpc.newFutureStub(channel)
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .export(GenAiSpans.chatRequest());

    await().atMost(Duration.ofSeconds(10)).until(() -> server.consumer.batches().size() == 1);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !response.isDone());

    accepted.complete(null);
    assertThat(response.get(10, TimeUnit.SECONDS).hasPartialSuccess()).isFalse();
  }

  // ---- helpers ----

  /** Sends raw bytes as the request message; {@code "gzip"} marks bytes that are gzip already. */
  private static ExportTraceServiceResponse rawCall(byte[] message, String preEncodedAs) {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
    if (preEncodedAs == null) {
      return ClientCalls.blockingUnaryCall(channel, RawExportMethod.EXPORT, options, message);
    }
    return ClientCalls.blockingUnaryCall(
        preGzipChannel, RawExportMethod.EXPORT, options.withCompression(preEncodedAs), message);
  }

  /** What a zstd-capable client sends (grpc-java's client has no zstd of its own). */
  private static final class ZstdCompressor implements Compressor {
    @Override
    public String getMessageEncoding() {
      return Zstd.ENCODING;
    }

    @Override
    public OutputStream compress(OutputStream os) throws java.io.IOException {
      return new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(os);
    }
  }

  private static final class PreEncodedGzip implements Compressor {
    @Override
    public String getMessageEncoding() {
      return "gzip";
    }

    @Override
    public OutputStream compress(OutputStream os) {
      return os;
    }
  }

  /** Lines {@code source} logs from now until closed. */
  private static final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger;

    LogCapture(Class<?> source) {
      logger = (Logger) LoggerFactory.getLogger(source);
      appender.start();
      logger.addAppender(appender);
    }

    List<String> lines() {
      synchronized (appender) { // logback appends under the appender's lock
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      }
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
    }
  }
}
