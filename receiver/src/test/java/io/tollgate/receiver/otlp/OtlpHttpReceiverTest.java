package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.PermanentException;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.otlp.OtlpJson;
import io.tollgate.core.telemetry.MetricNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** OTLP/HTTP through real clients: the OpenTelemetry SDK's exporter and the JDK's HttpClient. */
@Timeout(60)
class OtlpHttpReceiverTest {

  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final int LIMIT = 2 * 1024 * 1024;

  private static TestReceiver server;
  private static final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() throws Exception {
    server =
        TestReceiver.start(
            null,
            TestReceiver.http(
                ByteSize.ofBytes(LIMIT),
                new OtlpReceiverConfig.Cors(
                    List.of("https://*.example.com"),
                    List.of("X-Tenant"),
                    List.of("Retry-After"),
                    Duration.ofMinutes(10))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.consumer.clear();
    server.consumer.answer(b -> CompletableFuture.completedFuture(null));
  }

  // ---- real clients, happy paths ----

  @Test
  void sdkExporterDeliversGenAiSpans() {
    List<SpanData> spans = GenAiSpans.agentWithChat();
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.httpPort() + "/v1/traces")
            .build();
    try {
      CompletableResultCode result = exporter.export(spans).join(10, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).isTrue();
    } finally {
      exporter.shutdown();
    }

    assertThat(server.consumer.batches()).hasSize(1);
    List<SpanRecord> received = server.consumer.spans();
    assertThat(received)
        .extracting(SpanRecord::name)
        .containsExactlyInAnyOrder("invoke_agent support", "chat gpt-4o");
    SpanRecord chat =
        received.stream().filter(s -> s.name().equals("chat gpt-4o")).findFirst().orElseThrow();
    SpanData sent =
        spans.stream().filter(s -> s.getName().equals("chat gpt-4o")).findFirst().orElseThrow();
    assertThat(chat.traceIdHex()).isEqualTo(sent.getTraceId());
    assertThat(chat.spanIdHex()).isEqualTo(sent.getSpanId());
    assertThat(chat.attributes().getString("gen_ai.request.model")).isEqualTo("gpt-4o");
    assertThat(chat.attributes().getLong("gen_ai.usage.input_tokens")).isEqualTo(1200L);
    assertThat(chat.resourceAttributes().getString("service.name")).isEqualTo("support-bot");
    assertThat(server.counter(MetricNames.RECEIVER_ACCEPTED_SPANS, "http"))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void sdkExporterWithGzip() {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.httpPort() + "/v1/traces")
            .setCompression("gzip")
            .build();
    try {
      assertThat(exporter.export(GenAiSpans.agentWithChat()).join(10, TimeUnit.SECONDS).isSuccess())
          .isTrue();
    } finally {
      exporter.shutdown();
    }
    assertThat(server.consumer.spanCount()).isEqualTo(2);
  }

  @Test
  void otlpJsonAsTheSdkWritesIt() throws Exception {
    // The SDK's OTLP/HTTP exporter can write JSON only through an internal switch; its JSON
    // marshaller is public, so send what it writes.
    List<SpanData> spans = GenAiSpans.agentWithChat();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeJsonTo(json);

    HttpResponse<byte[]> r = post(JSON + "; charset=utf-8", null, json.toByteArray());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue(JSON);
    assertThat(OtlpJson.decodeResponse(r.body()).hasPartialSuccess()).isFalse();
    assertThat(server.consumer.spans())
        .extracting(SpanRecord::traceIdHex)
        .containsOnly(spans.get(0).getTraceId());
    assertThat(server.consumer.spans())
        .filteredOn(s -> s.name().equals("chat gpt-4o"))
        .singleElement()
        .satisfies(
            s -> assertThat(s.attributes().getDouble("gen_ai.request.temperature")).isEqualTo(0.2));
  }

  @Test
  void everyCompressionDecodes() throws Exception {
    byte[] body = GenAiSpans.chatRequest().toByteArray();
    assertThat(post(PROTOBUF, "gzip", GenAiSpans.gzip(body)).statusCode()).isEqualTo(200);
    assertThat(post(PROTOBUF, "zstd", Zstd.compress(body)).statusCode()).isEqualTo(200);
    assertThat(post(PROTOBUF, "deflate", deflate(body, false)).statusCode()).isEqualTo(200);
    // Raw deflate without the zlib wrapper, as some clients send.
    assertThat(post(PROTOBUF, "deflate", deflate(body, true)).statusCode()).isEqualTo(200);
    assertThat(post(PROTOBUF, "identity", body).statusCode()).isEqualTo(200);
    assertThat(server.consumer.spanCount()).isEqualTo(5);
    assertThat(server.consumer.spans())
        .allSatisfy(
            s -> assertThat(s.attributes().getString("gen_ai.request.model")).isEqualTo("gpt-4o"));
  }

  @Test
  void anEmptyRequestIsASuccessAndReachesNoConsumer() throws Exception {
    HttpResponse<byte[]> r = post(PROTOBUF, null, new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess()).isFalse();
    assertThat(post(JSON, null, "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    assertThat(server.consumer.batches()).isEmpty();
  }

  @Test
  void aClientThatOffersHttp2UpgradeIsServedOverHttp11() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<byte[]> r =
        h2.send(
            newRequest("/v1/traces")
                .header("Content-Type", PROTOBUF)
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(GenAiSpans.chatRequest().toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  // ---- partial success ----

  @Test
  void spansWithInvalidIdsAreRejectedAndTheRestAccepted() throws Exception {
    HttpResponse<byte[]> r = post(PROTOBUF, null, GenAiSpans.requestWithBadIds().toByteArray());

    assertThat(r.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(answer.getPartialSuccess().getErrorMessage())
        .startsWith(
            "2 spans rejected: trace_id must be 16 bytes (span 'chat gpt-4o' had 3);"
                + " span_id must not be all zeros (span 'embeddings text-embedding-3-small')")
        .contains("The other 1 span was accepted");
    assertThat(server.consumer.spans())
        .extracting(SpanRecord::name)
        .containsExactly("execute_tool get_weather");
  }

  @Test
  void anIdInJsonThatIsNotHexIs400NamingTheFieldAndTheSpan() throws Exception {
    String json =
        OtlpJson.encodeRequest(GenAiSpans.chatRequest())
            .replaceFirst("\"traceId\":\"[0-9a-f]+\"", "\"traceId\":\"not-hex\"");
    HttpResponse<byte[]> r = post(JSON, null, json.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    Status status = parseJsonStatus(r.body());
    assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(status.getMessage())
        .contains(
            "resourceSpans[0].scopeSpans[0].spans[0].traceId is not hex: \"not-hex\" has 'n' at 0")
        .contains("do not resend")
        .doesNotContain("16 bytes");
    assertThat(server.consumer.batches()).isEmpty();
  }

  // ---- errors the client caused ----

  @Test
  void malformedProtobufIs400WithAStatusBody() throws Exception {
    HttpResponse<byte[]> r = post(PROTOBUF, null, new byte[] {(byte) 0x0a, (byte) 0xff, 0x01});
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue(PROTOBUF);
    Status status = Status.parseFrom(r.body());
    assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(status.getMessage())
        .contains("not a valid OTLP/protobuf ExportTraceServiceRequest")
        .contains("do not resend");
    assertThat(server.consumer.batches()).isEmpty();
  }

  @Test
  void malformedJsonIs400WithAJsonStatusBody() throws Exception {
    HttpResponse<byte[]> r =
        post(JSON, null, "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue(JSON);
    Status status = parseJsonStatus(r.body());
    assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(status.getMessage()).contains("not valid OTLP/JSON");
  }

  @Test
  void corruptGzipIs400() throws Exception {
    HttpResponse<byte[]> r = post(PROTOBUF, "gzip", GenAiSpans.chatRequest().toByteArray());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(r.body()).getMessage())
        .contains("not valid gzip")
        .contains("without a Content-Encoding header");
  }

  @Test
  void unknownPathIs404() throws Exception {
    HttpResponse<byte[]> r =
        client.send(
            newRequest("/v1/metrics")
                .header("Content-Type", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(parseJsonStatus(r.body()).getMessage())
        .isEqualTo("nothing is served at POST /v1/metrics; this endpoint serves POST /v1/traces");
  }

  @Test
  void otherMethodsAre405WithAllow() throws Exception {
    for (String method : List.of("GET", "PUT", "DELETE")) {
      HttpResponse<byte[]> r =
          client.send(
              newRequest("/v1/traces").method(method, HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).hasValue("POST");
      assertThat(parseJsonStatus(r.body()).getMessage()).contains("use POST");
    }
  }

  @Test
  void otherContentTypesAre415() throws Exception {
    HttpResponse<byte[]> r = post("text/plain", null, "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(parseJsonStatus(r.body()).getMessage())
        .contains("\"text/plain\" is not supported")
        .contains("application/x-protobuf")
        .contains("application/json");
  }

  @Test
  void unknownContentEncodingIs400NamingTheSupportedOnes() throws Exception {
    HttpResponse<byte[]> r = post(PROTOBUF, "br", new byte[] {1, 2, 3});
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(r.body()).getMessage())
        .isEqualTo(
            "Content-Encoding \"br\" is not supported; use gzip, deflate, zstd or none"
                + " (no Content-Encoding header)");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    byte[] big = GenAiSpans.requestOfSize(2 * LIMIT).toByteArray();
    HttpResponse<byte[]> r = post(PROTOBUF, null, big);
    assertThat(r.statusCode()).isEqualTo(413);
    Status status = Status.parseFrom(r.body());
    assertThat(status.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(status.getMessage())
        .contains("larger than 2MiB")
        .contains("receivers.otlp.protocols.http.max_request_body_size");
    assertThat(server.consumer.batches()).isEmpty();
  }

  @Test
  void aClientThatWritesItsWholeBodyBeforeReadingStillSeesThe413() throws Exception {
    // Like the JDK HttpClient on some runs: it reads the answer only once the body is written. Had
    // the server closed with part of the body unread, the kernel would answer with a reset, which
    // fails the client's write and can drop the 413 before the client reads it.
    byte[] big = GenAiSpans.requestOfSize(2 * LIMIT).toByteArray();
    try (Socket socket = slowSender()) {
      OutputStream out = postHead(socket, big.length);
      out.write(big);
      out.flush();
      String answer = readResponses(socket.getInputStream(), 1);
      assertThat(answer)
          .startsWith("HTTP/1.1 413 ")
          .contains("connection: close")
          .contains("max_request_body_size");
      assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
    }
    assertThat(server.consumer.batches()).isEmpty();
  }

  @Test
  void aHugeRefusedBodyIsNotReadForever() throws Exception {
    // 100 limits declared, more than the server would read and drop: it hangs up at the head.
    long declared = 100L * LIMIT;
    long written = 0;
    try (Socket socket = slowSender()) {
      OutputStream out = postHead(socket, declared);
      byte[] chunk = new byte[64 * 1024];
      try {
        while (written < declared) {
          out.write(chunk);
          written += chunk.length;
        }
      } catch (IOException expected) {
        // reset by the server
      }
    }
    // What the kernels' buffers held, not the limits the server would otherwise read and drop.
    assertThat(written).isLessThan(HttpConnection.REFUSED_BODY_READ_LIMITS * LIMIT);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws Exception {
    byte[] big = GenAiSpans.requestOfSize(2 * LIMIT).toByteArray();
    // ofInputStream has no known length, so the client sends it chunked.
    HttpResponse<byte[]> r =
        client.send(
            newRequest("/v1/traces")
                .header("Content-Type", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(server.consumer.batches()).isEmpty();
  }

  @Test
  void aClientThatExpects100ContinueGets413BeforeSendingTheBody() throws Exception {
    // A raw socket: the JDK 17 HttpClient hangs when an Expect: 100-continue request gets a final
    // answer (JDK-8286171, fixed in 19).
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                      + "Expect: 100-continue\r\nContent-Length: "
                      + (2 * LIMIT)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = readResponses(socket.getInputStream(), 1);
      assertThat(answer).startsWith("HTTP/1.1 413 ").contains("connection: close");
      assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
    }
    // Within the limit, the server says "100 Continue" and then takes the body.
    byte[] body = GenAiSpans.chatRequest().toByteArray();
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                  + "Expect: 100-continue\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      assertThat(readResponses(socket.getInputStream(), 1)).startsWith("HTTP/1.1 100 Continue");
      out.write(body);
      assertThat(readResponses(socket.getInputStream(), 1)).startsWith("HTTP/1.1 200 OK");
    }
    assertThat(server.consumer.spanCount()).isEqualTo(1);
  }

  @Test
  void aGzipBombIsCutOffAtTheLimit() throws Exception {
    byte[] bomb = GenAiSpans.gzipBomb(1024); // 1 GiB of zeros in about 1 MB
    assertThat(bomb.length).isLessThan(LIMIT);
    HttpResponse<byte[]> r = post(PROTOBUF, "gzip", bomb);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("once decompressed");
    // A compressed body that inflates to just over the limit is refused too.
    byte[] justOver = GenAiSpans.gzip(GenAiSpans.requestOfSize(LIMIT).toByteArray());
    assertThat(post(PROTOBUF, "gzip", justOver).statusCode()).isEqualTo(413);
    assertThat(server.consumer.batches()).isEmpty();
  }

  // ---- what the pipeline answers ----

  @Test
  void throttledIs429WithRetryAfter() throws Exception {
    server.consumer.answer(
        b ->
            CompletableFuture.failedFuture(
                RefusedException.throttled(
                    "memory_limiter: memory usage is above the soft limit",
                    Duration.ofMillis(2500))));
    HttpResponse<byte[]> r = post(PROTOBUF, null, GenAiSpans.chatRequest().toByteArray());
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("3");
    Status status = Status.parseFrom(r.body());
    assertThat(status.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(status.getMessage())
        .startsWith("memory_limiter: memory usage is above the soft limit. Retry after 3s");
    assertThat(status.getDetailsList())
        .singleElement()
        .satisfies(
            d -> assertThat(d.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(2));

    // Without a hint, one second.
    server.consumer.answer(
        b -> CompletableFuture.failedFuture(RefusedException.throttled("queue full", null)));
    HttpResponse<byte[]> json =
        post(
            JSON,
            null,
            OtlpJson.encodeRequest(GenAiSpans.chatRequest()).getBytes(StandardCharsets.UTF_8));
    assertThat(json.statusCode()).isEqualTo(429);
    assertThat(json.headers().firstValue("retry-after")).hasValue("1");
    Status jsonStatus = parseJsonStatus(json.body());
    assertThat(jsonStatus.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
        .isEqualTo(1);
    assertThat(server.counter(MetricNames.RECEIVER_REFUSED_SPANS, "http"))
        .isGreaterThanOrEqualTo(2);
    assertThat(server.requests("http", "refused")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void unavailableIs503() throws Exception {
    server.consumer.answer(
        b ->
            CompletableFuture.failedFuture(
                RefusedException.unavailable("the pipeline is starting")));
    HttpResponse<byte[]> r = post(PROTOBUF, null, GenAiSpans.chatRequest().toByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).isEmpty();
    assertThat(Status.parseFrom(r.body()).getMessage())
        .isEqualTo("the pipeline is starting. Retry later (OTLP exporters do this on their own).");

    server.consumer.answer(
        b ->
            CompletableFuture.failedFuture(
                new RefusedException(
                    RefusedException.Reason.UNAVAILABLE,
                    "exporter queue is draining",
                    Duration.ofSeconds(5))));
    assertThat(
            post(PROTOBUF, null, GenAiSpans.chatRequest().toByteArray())
                .headers()
                .firstValue("retry-after"))
        .hasValue("5");
  }

  @Test
  void anUnexpectedFailureIs503SoThatTheSenderRetries() throws Exception {
    server.consumer.answer(
        b -> {
          throw new IllegalStateException("boom");
        });
    HttpResponse<byte[]> r = post(PROTOBUF, null, GenAiSpans.chatRequest().toByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(Status.parseFrom(r.body()).getMessage())
        .contains("internal error while accepting spans (IllegalStateException: boom)");
    assertThat(server.counter(MetricNames.RECEIVER_FAILED_SPANS, "http")).isPositive();

    // An Error in the pipeline (a processor's StackOverflowError) is answered too, not left hanging.
    server.consumer.answer(
        b -> {
          throw new StackOverflowError("deep");
        });
    HttpResponse<byte[]> error = post(PROTOBUF, null, GenAiSpans.chatRequest().toByteArray());
    assertThat(error.statusCode()).isEqualTo(503);
    assertThat(Status.parseFrom(error.body()).getMessage()).contains("StackOverflowError: deep");
  }

  @Test
  void permanentFailuresAre400Or500() throws Exception {
    server.consumer.answer(
        b ->
            CompletableFuture.failedFuture(
                new PermanentException("redaction could not make the span safe", true)));
    HttpResponse<byte[]> bad = post(PROTOBUF, null, GenAiSpans.chatRequest().toByteArray());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(bad.body()).getMessage()).contains("do not resend it");

    server.consumer.answer(
        b ->
            CompletableFuture.failedFuture(
                new PermanentException("exporter misconfigured", false)));
    HttpResponse<byte[]> internal = post(PROTOBUF, null, GenAiSpans.chatRequest().toByteArray());
    assertThat(internal.statusCode()).isEqualTo(500);
    assertThat(Status.parseFrom(internal.body()).getCode()).isEqualTo(Code.INTERNAL_VALUE);
  }

  @Test
  void theAnswerWaitsForThePipeline() throws Exception {
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    server.consumer.answer(b -> accepted);
    CompletableFuture<HttpResponse<byte[]>> response =
        client.sendAsync(
            request(PROTOBUF, null, GenAiSpans.chatRequest().toByteArray()),
            HttpResponse.BodyHandlers.ofByteArray());

    await().atMost(Duration.ofSeconds(10)).until(() -> server.consumer.batches().size() == 1);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !response.isDone());

    accepted.complete(null);
    assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    CompletableFuture<Void> first = new CompletableFuture<>();
    server.consumer.answer(
        b ->
            b.spanCount() == 1 && server.consumer.batches().size() == 1
                ? first
                : CompletableFuture.completedFuture(null));
    byte[] a =
        OtlpJson.encodeRequest(GenAiSpans.requestWithBadIds()).getBytes(StandardCharsets.UTF_8);
    byte[] b = OtlpJson.encodeRequest(GenAiSpans.chatRequest()).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.write(rawPost(a));
      both.write(rawPost(b));
      out.write(both.toByteArray()); // both requests in one write
      out.flush();

      await().atMost(Duration.ofSeconds(10)).until(() -> server.consumer.batches().size() == 1);
      first.complete(null); // the first answer is late; the second must still come after it

      String answers = readResponses(socket.getInputStream(), 2);
      int firstAt = answers.indexOf("rejectedSpans");
      int secondAt = answers.indexOf("HTTP/1.1 200", answers.indexOf("HTTP/1.1 200") + 1);
      assertThat(firstAt).isPositive();
      assertThat(secondAt).isGreaterThan(firstAt);
    }
    assertThat(server.consumer.batches()).hasSize(2);
  }

  // ---- CORS ----

  @Test
  void corsPreflightForAnAllowedOrigin() throws Exception {
    HttpResponse<byte[]> r =
        client.send(
            newRequest("/v1/traces")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, x-tenant")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://app.example.com");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("POST");
    assertThat(r.headers().firstValue("access-control-allow-headers"))
        .hasValue("content-type, x-tenant");
    assertThat(r.headers().firstValue("access-control-max-age")).hasValue("600");
  }

  @Test
  void corsRefusesOtherOriginsAndHeaders() throws Exception {
    HttpResponse<byte[]> origin =
        client.send(
            newRequest("/v1/traces")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://example.org")
                .header("Access-Control-Request-Method", "POST")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(origin.statusCode()).isEqualTo(403);
    assertThat(origin.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(parseJsonStatus(origin.body()).getMessage())
        .contains("receivers.otlp.protocols.http.cors.allowed_origins");

    HttpResponse<byte[]> header =
        client.send(
            newRequest("/v1/traces")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-secret")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(header.statusCode()).isEqualTo(403);
    assertThat(parseJsonStatus(header.body()).getMessage()).contains("x-secret");
  }

  @Test
  void corsHeadersOnTheActualRequest() throws Exception {
    HttpResponse<byte[]> r =
        client.send(
            newRequest("/v1/traces")
                .header("Content-Type", PROTOBUF)
                .header("Origin", "https://shop.example.com")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(GenAiSpans.chatRequest().toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://shop.example.com");
    assertThat(r.headers().firstValue("access-control-expose-headers")).hasValue("Retry-After");
    assertThat(r.headers().allValues("vary")).contains("Origin");
  }

  // ---- helpers ----

  /**
   * A client socket to the HTTP port with a small send buffer, which keeps the client writing while
   * the server reads: on loopback the kernel would otherwise take a whole body at once.
   */
  private static Socket slowSender() throws Exception {
    Socket socket = new Socket();
    socket.setSendBufferSize(16 * 1024);
    socket.connect(new InetSocketAddress("127.0.0.1", server.httpPort()));
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Writes the head of a protobuf POST to /v1/traces declaring {@code length}; the body's stream. */
  private static OutputStream postHead(Socket socket, long length) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                + "Content-Length: "
                + length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    return out;
  }

  private static HttpRequest.Builder newRequest(String path) {
    return HttpRequest.newBuilder(server.httpUri(path)).timeout(Duration.ofSeconds(20));
  }

  private static HttpRequest request(String contentType, String encoding, byte[] body) {
    HttpRequest.Builder b =
        newRequest("/v1/traces")
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return b.build();
  }

  private static HttpResponse<byte[]> post(String contentType, String encoding, byte[] body)
      throws Exception {
    return client.send(
        request(contentType, encoding, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  static Status parseJsonStatus(byte[] body) throws Exception {
    Status.Builder b = Status.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder().add(RetryInfo.getDescriptor()).build())
        .merge(new String(body, StandardCharsets.UTF_8), b);
    return b.build();
  }

  private static byte[] deflate(byte[] data, boolean raw) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(6, raw))) {
      d.write(data);
    }
    return out.toByteArray();
  }

  private byte[] rawPost(byte[] body) {
    String head =
        "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[h.length + body.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(body, 0, out, h.length, body.length);
    return out;
  }

  /** Reads {@code n} responses with Content-Length bodies, as text. */
  private static String readResponses(InputStream in, int n) throws Exception {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          throw new IllegalStateException("connection closed after: " + all + head);
        }
        head.append((char) c);
      }
      int length = 0;
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      all.append(head)
          .append(new String(in.readNBytes(length), StandardCharsets.UTF_8))
          .append('\n');
    }
    return all.toString();
  }
}
