package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.micrometer.core.instrument.Gauge;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.tollgate.core.telemetry.MetricNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code admission.request_limit_mib}: while the receiver holds that many bytes of requests it has
 * not answered, new requests are refused when they start, before their body is read, and accepted
 * again once the held ones are answered. The pipeline here holds every batch until the test lets
 * it go, which is what a collector behind on its work looks like from the receiver.
 */
@Timeout(60)
class AdmissionControlTest {

  /** About 0.6 MiB: two of them exceed the 1 MiB limit, one does not. */
  private static final int REQUEST_BYTES = 600 * 1024;

  private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
  private TestReceiver server;
  private ManagedChannel channel;

  private void start(int limitMib) throws Exception {
    start(limitMib, TestReceiver.cachedWorkers());
  }

  private void start(int limitMib, ExecutorService workers) throws Exception {
    start(limitMib, workers, TestReceiver.grpc(8));
  }

  private void start(int limitMib, ExecutorService workers, OtlpReceiverConfig.Grpc grpc)
      throws Exception {
    server =
        TestReceiver.start(
            grpc,
            TestReceiver.http(io.tollgate.core.component.ByteSize.ofMiB(8), null),
            limitMib,
            workers);
    server.consumer.answer(
        b -> {
          CompletableFuture<Void> f = new CompletableFuture<>();
          held.add(f);
          return f;
        });
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    releaseAll();
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  private void releaseAll() {
    for (CompletableFuture<Void> f : held) {
      f.complete(null);
    }
  }

  @Test
  void grpcRefusesAtTheLimitWithRetryInfoWithoutReadingTheRequest() throws Exception {
    start(1);
    ExportTraceServiceRequest big = GenAiSpans.requestOfSize(REQUEST_BYTES);
    List<CompletableFuture<ExportTraceServiceResponse>> first = holdInPipeline(2, big);
    assertThat(heldBytes()).isGreaterThanOrEqualTo(2.0 * REQUEST_BYTES);

    StatusRuntimeException refused =
        catchThrowableOfType(StatusRuntimeException.class, () -> export(big));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription())
        .contains("receivers.otlp.admission.request_limit_mib")
        .contains("Retry after 1s");
    com.google.rpc.Status details = StatusProto.fromThrowable(refused);
    assertThat(details.getDetailsList())
        .singleElement()
        .satisfies(
            d -> assertThat(d.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1));
    // Refused before it reached the pipeline, and counted.
    assertThat(server.consumer.batches()).hasSize(2);
    assertThat(refusedRequests("grpc")).isEqualTo(1);
    assertThat(server.requests("grpc", "refused")).isEqualTo(1);
    // Refused before it was even read: bytes that are no OTLP at all get the same answer, not
    // INVALID_ARGUMENT.
    StatusRuntimeException garbage =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    channel,
                    RawExportMethod.EXPORT,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));
    assertThat(garbage.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    // Once the held requests are answered, their bytes are released and requests get in again.
    releaseAndExpectSuccess(first);
    await().atMost(Duration.ofSeconds(10)).until(() -> heldBytes() == 0);
    CompletableFuture<ExportTraceServiceResponse> again = exportAsync(big);
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);
    releaseAll();
    assertThat(again.get(10, TimeUnit.SECONDS)).isNotNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> heldBytes() == 0);
  }

  @Test
  void aRefusalDoesNotWaitForABusyWorker() throws Exception {
    ExecutorService oneWorker = Executors.newSingleThreadExecutor();
    start(1, oneWorker);
    ExportTraceServiceRequest big = GenAiSpans.requestOfSize(REQUEST_BYTES);
    List<CompletableFuture<ExportTraceServiceResponse>> first = holdInPipeline(2, big);
    CountDownLatch busy = new CountDownLatch(1);
    oneWorker.execute(
        () -> {
          try {
            busy.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    try {
      // Refused on the network thread at once; had it waited for the worker, the deadline would
      // pass first.
      StatusRuntimeException refused =
          catchThrowableOfType(
              StatusRuntimeException.class, () -> export(big, Duration.ofSeconds(3)));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    } finally {
      busy.countDown();
    }
    releaseAndExpectSuccess(first);
  }

  @Test
  void theOpenTelemetrySdkRetriesARefusedExportAndDeliversItOnce() throws Exception {
    start(1);
    List<CompletableFuture<ExportTraceServiceResponse>> first =
        holdInPipeline(2, GenAiSpans.requestOfSize(REQUEST_BYTES));

    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.grpcPort())
            .build();
    try {
      CompletableResultCode result = exporter.export(GenAiSpans.agentWithChat());
      await().atMost(Duration.ofSeconds(10)).until(() -> refusedRequests("grpc") >= 1);
      assertThat(result.isDone()).isFalse(); // backing off, not failed
      releaseAll();
      // The retry is admitted; the pipeline holds it like the others until let go.
      await().atMost(Duration.ofSeconds(20)).until(() -> held.size() == 3);
      releaseAll();
      assertThat(result.join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
    // The agent's two spans arrived once, besides the two big requests.
    assertThat(server.consumer.spanCount()).isEqualTo(2 + 2);
    releaseAndExpectSuccess(first);
  }

  @Test
  void httpRefusesAtTheHeadWith429AndKeepsTheConnection() throws Exception {
    start(1);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    byte[] body = GenAiSpans.requestOfSize(REQUEST_BYTES).toByteArray();
    List<CompletableFuture<HttpResponse<byte[]>>> first = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      first.add(client.sendAsync(post(body), HttpResponse.BodyHandlers.ofByteArray()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);

    HttpResponse<byte[]> refused = client.send(post(body), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(refused.body());
    assertThat(status.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(status.getMessage()).contains("receivers.otlp.admission.request_limit_mib");
    assertThat(status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
        .isEqualTo(1);
    assertThat(server.consumer.batches()).hasSize(2);
    assertThat(refusedRequests("http")).isEqualTo(1);
    // Not read: a body that is no OTLP gets the same answer, not 400.
    HttpResponse<byte[]> garbage =
        client.send(post(new byte[] {(byte) 0xff, 0x01}), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(garbage.statusCode()).isEqualTo(429);

    releaseAll();
    for (CompletableFuture<HttpResponse<byte[]>> f : first) {
      assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> heldBytes() == 0);
    // The retry, on a connection that served a refusal, goes through.
    CompletableFuture<HttpResponse<byte[]>> retry =
        client.sendAsync(post(body), HttpResponse.BodyHandlers.ofByteArray());
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);
    releaseAll();
    assertThat(retry.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> heldBytes() == 0);
  }

  @Test
  void aCallTheClientAbandonsReleasesItsBytes() throws Exception {
    start(1);
    ExportTraceServiceRequest big = GenAiSpans.requestOfSize(REQUEST_BYTES);
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> export(big, Duration.ofMillis(500)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(held).hasSize(1); // the pipeline still has it
    await().atMost(Duration.ofSeconds(10)).until(() -> heldBytes() == 0);
  }

  @Test
  void zeroTurnsAdmissionControlOff() throws Exception {
    start(0);
    List<CompletableFuture<ExportTraceServiceResponse>> calls =
        holdInPipeline(4, GenAiSpans.requestOfSize(REQUEST_BYTES));
    assertThat(heldBytes()).isGreaterThanOrEqualTo(4.0 * REQUEST_BYTES);
    releaseAndExpectSuccess(calls);
    assertThat(refusedRequests("grpc")).isZero();
  }

  @Test
  void callsOverMaxConcurrentStreamsWaitAtTheClientInsteadOfFailing() throws Exception {
    start(
        0,
        TestReceiver.cachedWorkers(),
        new OtlpReceiverConfig.Grpc("127.0.0.1:0", 8, 2, null));
    ExportTraceServiceRequest small = GenAiSpans.chatRequest();
    List<CompletableFuture<ExportTraceServiceResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(exportAsync(small));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);
    // The third waits at the client for a stream: it neither reaches the pipeline nor fails.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> held.size() == 2 && !calls.get(2).isDone());
    releaseAll();
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);
    releaseAll();
    for (CompletableFuture<ExportTraceServiceResponse> f : calls) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isNotNull();
    }
  }

  /** Sends {@code n} requests over gRPC and waits until the pipeline holds all of them. */
  private List<CompletableFuture<ExportTraceServiceResponse>> holdInPipeline(
      int n, ExportTraceServiceRequest request) {
    List<CompletableFuture<ExportTraceServiceResponse>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(exportAsync(request));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() >= n);
    return calls;
  }

  /** Lets the pipeline answer everything it holds, and checks every call succeeded. */
  private void releaseAndExpectSuccess(List<CompletableFuture<ExportTraceServiceResponse>> calls)
      throws Exception {
    releaseAll();
    for (CompletableFuture<ExportTraceServiceResponse> f : calls) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isNotNull();
    }
  }

  private ExportTraceServiceResponse export(ExportTraceServiceRequest request) {
    return export(request, Duration.ofSeconds(10));
  }

  private ExportTraceServiceResponse export(ExportTraceServiceRequest request, Duration deadline) {
    return ClientCalls.blockingUnaryCall(
        channel,
        io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.getExportMethod(),
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS),
        request);
  }

  private CompletableFuture<ExportTraceServiceResponse> exportAsync(
      ExportTraceServiceRequest request) {
    CompletableFuture<ExportTraceServiceResponse> f = new CompletableFuture<>();
    var listenable =
        ClientCalls.futureUnaryCall(
            channel.newCall(
                io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.getExportMethod(),
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
            request);
    listenable.addListener(
        () -> {
          try {
            f.complete(listenable.get());
          } catch (Exception e) {
            f.completeExceptionally(e);
          }
        },
        Runnable::run);
    return f;
  }

  private HttpRequest post(byte[] body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private double heldBytes() {
    Gauge g =
        server
            .registry
            .find("tollgate_receiver_admission_held_bytes")
            .tag(MetricNames.RECEIVER, "otlp")
            .gauge();
    return g.value();
  }

  private double refusedRequests(String transport) {
    return server.counter("tollgate_receiver_admission_refused_requests", transport);
  }
}
