package io.tollgate.benchmarks.load;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** OTLP/HTTP with binary protobuf bodies, through the JDK's HTTP/1.1 client. */
final class HttpSender implements OtlpSender {

  private final URI uri;
  private final ExecutorService executor;
  private final HttpClient client;

  HttpSender(String hostPort) {
    this.uri = URI.create("http://" + hostPort + "/v1/traces");
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "load-http");
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
  }

  @Override
  public CompletableFuture<Ack> send(byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              if (error != null) {
                return new Ack(Outcome.FAILED, 0, error.toString());
              }
              int code = response.statusCode();
              if (code == 200) {
                try {
                  ExportTraceServiceResponse r =
                      ExportTraceServiceResponse.parseFrom(response.body());
                  long rejected =
                      r.hasPartialSuccess() ? r.getPartialSuccess().getRejectedSpans() : 0;
                  return rejected == 0 ? Ack.OK : new Ack(Outcome.OK, rejected, "partial");
                } catch (Exception e) {
                  return Ack.OK; // a 200 with a body we cannot read still accepted the data
                }
              }
              Outcome o = code == 429 || code == 503 ? Outcome.REFUSED : Outcome.FAILED;
              long retryAfter =
                  response
                      .headers()
                      .firstValue("retry-after")
                      .map(HttpSender::secondsToNanos)
                      .orElse(-1L);
              return new Ack(o, 0, "HTTP " + code, retryAfter);
            });
  }

  /** {@code Retry-After} in seconds (the HTTP-date form is not sent by Tollgate), or -1. */
  private static long secondsToNanos(String value) {
    try {
      return Long.parseLong(value.trim()) * 1_000_000_000L;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String describe() {
    return uri.toString();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
