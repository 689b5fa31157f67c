package io.tollgate.collector;

import static io.tollgate.collector.testing.TestCollectors.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.collector.testing.TestCollectors;
import io.tollgate.config.ServiceConfig;
import io.tollgate.core.pipeline.Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A shutdown begins with a not-ready window: the health endpoint answers 503 while the receivers
 * still take spans, so that a load balancer watching health stops sending before the ports close.
 */
@Timeout(60)
class GracefulShutdownTest {

  private static final String SPAN =
      "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
          + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
          + "\"name\":\"chat gpt-4o\",\"kind\":3,\"startTimeUnixNano\":\"1700000000000000000\","
          + "\"endTimeUnixNano\":\"1700000001000000000\"}]}]}]}";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private int status(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private int export(int port) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SPAN))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void healthTurns503WhileTheReceiversStillAcceptThenTheyClose() throws Exception {
    int otlp = freePort();
    int health = freePort();
    Collector collector =
        TestCollectors.start(
            String.join(
                "\n",
                "receivers:",
                "  otlp: {protocols: {http: {endpoint: '127.0.0.1:" + otlp + "'}}}",
                "exporters: {debug: {}}",
                "extensions: {health_check: {endpoint: '127.0.0.1:" + health + "'}}",
                "service:",
                "  extensions: [health_check]",
                "  shutdown_timeout: 10s",
                "  shutdown_delay: 2s",
                "  pipelines: {traces: {receivers: [otlp], exporters: [debug]}}",
                ""));
    String healthUrl = "http://127.0.0.1:" + health + "/";
    assertThat(status(healthUrl)).isEqualTo(200);
    assertThat(export(otlp)).isEqualTo(200);

    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger serviceLog = (Logger) LoggerFactory.getLogger(Service.class);
    serviceLog.addAppender(logs);
    try {
      Thread stopping = new Thread(collector::shutdown, "test-shutdown");
      stopping.start();

      await().atMost(Duration.ofSeconds(2)).until(() -> status(healthUrl) == 503);
      // Not ready, but still receiving: a sender the balancer has not yet moved loses nothing.
      assertThat(export(otlp)).isEqualTo(200);

      collector.awaitShutdown();
      stopping.join();
    } finally {
      serviceLog.detachAppender(logs);
    }
    assertThatThrownBy(() -> export(otlp)).isInstanceOf(IOException.class);
    // What is left of the 10 s budget after the 2 s window, in whole milliseconds.
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            line -> assertThat(line).matches("Shutting down; draining for at most [0-9]{4}ms"));
  }

  @Test
  void theWindowIsAtMostHalfTheShutdownBudget() throws Exception {
    ServiceConfig defaults = ServiceConfig.defaults();
    assertThat(defaults.shutdownDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.effectiveShutdownDelay()).isEqualTo(Duration.ofSeconds(2));
    ServiceConfig tight =
        new ServiceConfig(List.of(), Map.of(), null, Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(tight.effectiveShutdownDelay()).isEqualTo(Duration.ofMillis(500));
  }
}
