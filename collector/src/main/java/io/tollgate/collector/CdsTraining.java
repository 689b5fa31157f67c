package io.tollgate.collector;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.config.CollectorConfig;
import io.tollgate.config.Components;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.internal.EnvExpander;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A training run for a class-data sharing (CDS) archive: starts a collector the way {@code
 * tollgate} does, sends it one GenAI span over OTLP/gRPC and one over OTLP/HTTP, asks its health
 * and metrics endpoints, stops it and exits. Run it once per build, with the JDK and options of
 * the real runs, naming the jar the same way (an absolute path is safest):
 *
 * <pre>{@code
 * java -XX:ArchiveClassesAtExit=/app/tollgate.jsa -cp /app/tollgate.jar \
 *     io.tollgate.collector.CdsTraining
 * java -XX:SharedArchiveFile=/app/tollgate.jsa -jar /app/tollgate.jar --config …
 * }</pre>
 *
 * <p>The archive holds the classes the run loaded, already parsed and verified, so later starts
 * skip most of that work (the larger part of a sidecar's start-up CPU), and so does the first
 * request. The {@code tollgate} launcher does this by itself.
 *
 * <p>The configuration is the embedded default (every GenAI processor, the debug exporter, health
 * and metrics endpoints), plus a second pipeline with the OTLP exporters that no span reaches,
 * every listener on a free loopback port.
 */
public final class CdsTraining {

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    run();
    // The archive is written as the JVM exits.
    System.exit(ExitCodes.OK);
  }

  /** Starts the training collector, sends it two requests and stops it. */
  static void run() throws Exception {
    int grpc = freePort();
    int http = freePort();
    int health = freePort();
    int metrics = freePort();
    List<String> sets =
        List.of(
            "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:" + grpc,
            "receivers.otlp.protocols.http.endpoint=127.0.0.1:" + http,
            "extensions.health_check.endpoint=127.0.0.1:" + health,
            // Nobody balances load on the training run: stop without the not-ready window.
            "service.shutdown_delay=0s",
            "service.telemetry.metrics.address=127.0.0.1:" + metrics,
            "receivers.otlp/training={protocols: {grpc: {endpoint: '127.0.0.1:"
                + freePort()
                + "'}, http: {endpoint: '127.0.0.1:"
                + freePort()
                + "'}}}",
            "exporters.otlp_grpc/training={endpoint: '127.0.0.1:"
                + freePort()
                + "', tls: {insecure: true}}",
            "exporters.otlp_http/training={endpoint: 'http://127.0.0.1:" + freePort() + "'}",
            "service.pipelines.traces/training={receivers: [otlp/training], processors: [batch],"
                + " exporters: [otlp_grpc/training, otlp_http/training]}");
    CollectorConfig config =
        ConfigLoader.builder()
            .components(Components.load())
            .env(EnvExpander.systemEnv())
            .build()
            .load(List.of(TollgateCommand.DEFAULT_CONFIG), sets);
    Collector collector = Collector.start(config);
    try {
      if (!collector.service().isReady()) {
        throw new IllegalStateException("the training collector started but is not ready");
      }
      sendGrpc(grpc);
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      sendHttp(client, http);
      // What a kubelet and a Prometheus ask first.
      get(client, "http://127.0.0.1:" + health + "/");
      get(client, "http://127.0.0.1:" + metrics + "/metrics");
    } finally {
      collector.shutdown();
    }
  }

  private static void sendGrpc(int port) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      TraceServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .export(request("grpc"));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void sendHttp(HttpClient client, int port)
      throws IOException, InterruptedException {
    HttpResponse<Void> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request("http").toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new IOException("OTLP/HTTP answered " + response.statusCode());
    }
  }

  private static void get(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<Void> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
  }

  /** A chat span as OpenTelemetry's GenAI instrumentations send it, with an e-mail to redact. */
  private static ExportTraceServiceRequest request(String protocol) {
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    ThreadLocalRandom.current().nextBytes(traceId);
    ThreadLocalRandom.current().nextBytes(spanId);
    long now = System.currentTimeMillis() * 1_000_000L;
    Span span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(spanId))
            .setName("chat gpt-4o-mini")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(now - 850_000_000L)
            .setEndTimeUnixNano(now)
            .addAttributes(attribute("gen_ai.operation.name", "chat"))
            .addAttributes(attribute("gen_ai.provider.name", "openai"))
            .addAttributes(attribute("gen_ai.request.model", "gpt-4o-mini"))
            .addAttributes(attribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18"))
            .addAttributes(attribute("gen_ai.usage.input_tokens", 1200))
            .addAttributes(attribute("gen_ai.usage.output_tokens", 85))
            .addAttributes(
                attribute(
                    "gen_ai.input.messages",
                    "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
                        + "\"Write to jane.doe@example.com about order 4411\"}]}]"))
            .addAttributes(attribute("training.protocol", protocol))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder().addAttributes(attribute("service.name", "cds-training")))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue attribute(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
