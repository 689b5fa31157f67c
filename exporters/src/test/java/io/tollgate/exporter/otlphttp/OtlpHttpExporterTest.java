package io.tollgate.exporter.otlphttp;

import static io.tollgate.exporter.testing.ExporterHarness.FAST_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.core.model.Ids;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import io.tollgate.core.otlp.OtlpJson;
import io.tollgate.core.testing.RandomTraces;
import io.tollgate.exporter.testing.ExporterHarness;
import io.tollgate.exporter.testing.GrpcBackend.TestTls;
import io.tollgate.exporter.testing.HttpBackend.Response;
import io.tollgate.exporter.testing.HttpBackend;
import io.tollgate.exporter.testing.LogCapture;
import io.tollgate.exporter.testing.TestSpans;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OtlpHttpExporterTest {

  private static final String ID = "otlp_http/test";

  private final ExporterHarness harness = new ExporterHarness();
  private HttpBackend backend;

  @BeforeEach
  void startBackend() throws Exception {
    backend = HttpBackend.start();
  }

  @AfterEach
  void stop() {
    harness.close();
    backend.close();
  }

  private OtlpHttpConfig config() {
    return OtlpHttpConfig.defaults().withEndpoint(backend.url()).withRetryOnFailure(FAST_RETRY);
  }

  private Exporter start(OtlpHttpConfig config) throws Exception {
    return harness.start(OtlpHttpExporterFactory.exporter(config, harness.context(ID)));
  }

  @Test
  void postsGzippedProtobufWithHeaders() throws Exception {
    Exporter exporter = start(config().withHeaders(Map.of("X-Api-Key", Secret.of("k-1"))));
    TraceBatch batch = TestSpans.batch(3);
    var expected = batch.toRequest();

    exporter.consume(batch);

    await().until(() -> backend.accepted.size() == 1);
    HttpBackend.Received r = backend.last();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/traces");
    assertThat(r.header("content-type")).isEqualTo("application/x-protobuf");
    assertThat(r.header("content-encoding")).isEqualTo("gzip");
    assertThat(r.header("x-api-key")).isEqualTo("k-1");
    assertThat(r.header("user-agent")).startsWith("Tollgate/");
    // Really gzip: the magic bytes, and smaller than the plain body.
    assertThat(r.rawBody()[0]).isEqualTo((byte) 0x1f);
    assertThat(r.rawBody()[1]).isEqualTo((byte) 0x8b);
    assertThat(r.request()).isEqualTo(expected);
    await().until(() -> harness.sent(ID) == 3);
  }

  @Test
  void aBatchOfReceivedAndChangedPartsGoesOutAsItsBytesPlainAndGzipAlsoOnARetry()
      throws Exception {
    for (Compression compression : List.of(Compression.NONE, Compression.GZIP)) {
      backend.received.clear();
      backend.accepted.clear();
      int first = backend.calls() + 1;
      backend.answer(n -> n == first ? Response.of(503) : Response.of(200));
      // Two received requests around a decoded part: sent from the arrays they arrived in.
      byte[] a = new RandomTraces(31, true).request(3, 4).toByteArray();
      ExportTraceServiceRequest decoded = new RandomTraces(32, false).request(2, 3);
      byte[] b = new RandomTraces(33, true).request(3, 4).toByteArray();
      TraceBatch batch = TraceBatch.ofWire(WireScan.of(a));
      batch.addAll(TraceBatch.of(decoded));
      batch.addAll(TraceBatch.ofWire(WireScan.of(b)));
      byte[] expected = concat(a, decoded.toByteArray(), b);
      Exporter exporter = start(config().withCompression(compression));

      exporter.consume(batch);

      await().until(() -> backend.accepted.size() == 1);
      assertThat(backend.received).hasSize(2); // refused once, then accepted
      for (HttpBackend.Received r : backend.received) {
        assertThat(r.body()).isEqualTo(expected);
        assertThat(r.header("content-length")).isEqualTo(String.valueOf(r.rawBody().length));
        assertThat(r.header("transfer-encoding")).isNull();
      }
      exporter.shutdown(java.time.Instant.now().plusSeconds(5));
    }
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void jsonEncodingUsesHexIds() throws Exception {
    Exporter exporter =
        start(config().withEncoding(OtlpHttpEncoding.JSON).withCompression(Compression.NONE));
    TraceBatch batch = TestSpans.batch(1);
    var expected = batch.toRequest();
    String traceIdHex = Ids.toHex(expected.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId());

    exporter.consume(batch);

    await().until(() -> backend.accepted.size() == 1);
    HttpBackend.Received r = backend.last();
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("content-encoding")).isNull();
    String json = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(json).contains("\"traceId\":\"" + traceIdHex + "\"");
    assertThat(OtlpJson.decodeRequest(r.body())).isEqualTo(expected);
  }

  @Test
  void jsonCanBeGzipped() throws Exception {
    Exporter exporter =
        start(config().withEncoding(OtlpHttpEncoding.JSON).withCompression(Compression.GZIP));
    TraceBatch batch = TestSpans.batch(2);
    var expected = batch.toRequest();

    exporter.consume(batch);

    await().until(() -> backend.accepted.size() == 1);
    HttpBackend.Received r = backend.last();
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("content-encoding")).isEqualTo("gzip");
    assertThat(r.rawBody()[0]).isEqualTo((byte) 0x1f);
    assertThat(OtlpJson.decodeRequest(r.body())).isEqualTo(expected);
  }

  @Test
  void tracesEndpointIsUsedAsIs() throws Exception {
    Exporter exporter = start(config().withTracesEndpoint(backend.url() + "/otlp/custom/traces"));
    exporter.consume(TestSpans.batch(1));
    await().until(() -> backend.accepted.size() == 1);
    assertThat(backend.last().path()).isEqualTo("/otlp/custom/traces");
  }

  @Test
  void unavailableIsRetriedAndNothingIsLost() throws Exception {
    backend.answer(HttpBackend.firstThen(4, Response.of(503), Response.of(200)));
    Exporter exporter = start(config());

    for (int i = 0; i < 5; i++) {
      exporter.consume(TestSpans.batch(2));
    }

    await().until(() -> harness.sent(ID) == 10);
    assertThat(backend.acceptedSpans()).isEqualTo(10);
    assertThat(backend.calls()).isEqualTo(9);
    assertThat(harness.sendFailed(ID)).isZero();
  }

  @Test
  void badGatewayAndGatewayTimeoutAreRetried() throws Exception {
    backend.answer(
        n -> n == 1 ? Response.of(502) : n == 2 ? Response.of(504) : Response.of(200));
    Exporter exporter = start(config());
    exporter.consume(TestSpans.batch(1));
    await().until(() -> harness.sent(ID) == 1);
    assertThat(backend.calls()).isEqualTo(3);
  }

  @Test
  void retryAfterSecondsIsHonoured() throws Exception {
    backend.answer(
        HttpBackend.firstThen(1, Response.of(429).header("Retry-After", "1"), Response.of(200)));
    Exporter exporter = start(config());

    exporter.consume(TestSpans.batch(1));

    await().until(() -> backend.accepted.size() == 1);
    long gap = backend.received.get(1).nanoTime() - backend.received.get(0).nanoTime();
    // The backoff alone would have waited about 10 ms.
    assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void badRequestIsNotRetried() throws Exception {
    backend.answer(
        n ->
            Response.of(400)
                .body(
                    "application/x-protobuf",
                    com.google.rpc.Status.newBuilder()
                        .setCode(3)
                        .setMessage("span has no trace id")
                        .build()
                        .toByteArray()));
    Exporter exporter = start(config());

    exporter.consume(TestSpans.batch(2));

    await().until(() -> harness.sendFailed(ID) == 2);
    await().during(Duration.ofMillis(100)).until(() -> backend.calls() == 1);
    assertThat(harness.sent(ID)).isZero();
  }

  @Test
  void otherErrorsAreNotRetried() throws Exception {
    backend.answer(n -> n == 1 ? Response.of(401) : n == 2 ? Response.of(404) : Response.of(500));
    Exporter exporter = start(config());
    for (int i = 0; i < 3; i++) {
      exporter.consume(TestSpans.batch(1));
    }
    await().until(() -> harness.sendFailed(ID) == 3);
    await().during(Duration.ofMillis(100)).until(() -> backend.calls() == 3);
  }

  @Test
  void partialSuccessInProtobufIsCountedAndNotRetried() throws Exception {
    byte[] body =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("too old"))
            .build()
            .toByteArray();
    backend.answer(n -> Response.of(200).body("application/x-protobuf", body));
    Exporter exporter = start(config());

    exporter.consume(TestSpans.batch(5));

    // Sent and rejected spans are counted one after the other: wait for both.
    await().until(() -> harness.sent(ID) == 3 && harness.sendFailed(ID) == 2);
    await().during(Duration.ofMillis(100)).until(() -> backend.calls() == 1);
  }

  @Test
  void partialSuccessInJsonIsRead() throws Exception {
    byte[] body =
        "{\"partialSuccess\":{\"rejectedSpans\":\"1\",\"errorMessage\":\"bad\"}}"
            .getBytes(StandardCharsets.UTF_8);
    backend.answer(n -> Response.of(200).body("application/json", body));
    Exporter exporter = start(config().withEncoding(OtlpHttpEncoding.JSON));

    exporter.consume(TestSpans.batch(2));

    await().until(() -> harness.sendFailed(ID) == 1);
    assertThat(harness.sent(ID)).isEqualTo(1);
  }

  @Test
  void aWebPageAnsweringTheExportIsCountedAsSentButWarned() throws Exception {
    backend.answer(
        n ->
            Response.of(200)
                .body("text/html", "<html><body>Sign in</body></html>".getBytes(StandardCharsets.UTF_8)));
    try (LogCapture logs = new LogCapture(OtlpHttpSender.class)) {
      Exporter exporter = start(config());
      exporter.consume(TestSpans.batch(1));
      await().until(() -> harness.sent(ID) == 1);
      assertThat(logs.lines(Level.WARN))
          .singleElement()
          .asString()
          .contains("not an OTLP response (Content-Type: text/html)")
          .contains("check the URL");
    }
  }

  @Test
  void deadBackendIsCountedAsSendFailed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Exporter exporter =
        start(
            config()
                .withEndpoint("http://127.0.0.1:" + closedPort)
                .withRetryOnFailure(
                    FAST_RETRY.withIntervals(
                        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(300))));

    exporter.consume(TestSpans.batch(4));

    await().until(() -> harness.sendFailed(ID) == 4);
  }

  @Test
  void withoutQueueConsumeFailsWithTheBackendsRefusal() throws Exception {
    backend.answer(n -> Response.of(400));
    Exporter exporter = start(config().withSendingQueue(QueueSettings.disabled()));

    assertThatThrownBy(() -> exporter.consume(TestSpans.batch(1)).toCompletableFuture().join())
        .cause()
        .isInstanceOf(io.tollgate.core.component.PermanentException.class)
        .hasMessageContaining("HTTP 400");
  }

  @Test
  void httpsWithCaFile() throws Exception {
    SSLContext server =
        ((JdkSslContext)
                SslContextBuilder.forServer(TestTls.file("server.pem"), TestTls.file("server.key"))
                    .sslProvider(SslProvider.JDK)
                    .build())
            .context();
    try (HttpBackend tls = HttpBackend.startTls(server)) {
      Exporter exporter =
          start(
              config()
                  .withEndpoint("https://localhost:" + tls.port())
                  .withTls(TlsSettings.defaults().withCaFile(TestTls.path("ca.pem"))));

      exporter.consume(TestSpans.batch(2));

      await().until(() -> tls.accepted.size() == 1);
      assertThat(tls.acceptedSpans()).isEqualTo(2);
    }
  }
}
