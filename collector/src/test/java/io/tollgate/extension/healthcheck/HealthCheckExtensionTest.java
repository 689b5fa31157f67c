package io.tollgate.extension.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.collector.testing.TestComponents;
import io.tollgate.config.CollectorConfig;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.ServiceAssembler;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Extension;
import io.tollgate.core.component.ExtensionFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.pipeline.Service;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckExtensionTest {

  private final TestComponents test = new TestComponents();
  private final CapturingFactory health = new CapturingFactory();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  /** The real factory, keeping the extension it creates so the test can find its port. */
  private static final class CapturingFactory implements ExtensionFactory<HealthCheckConfig> {
    private final HealthCheckExtensionFactory real = new HealthCheckExtensionFactory();
    volatile HealthCheckExtension created;

    @Override
    public String type() {
      return real.type();
    }

    @Override
    public Stability stability() {
      return real.stability();
    }

    @Override
    public Class<HealthCheckConfig> configClass() {
      return real.configClass();
    }

    @Override
    public HealthCheckConfig defaultConfig() {
      return real.defaultConfig();
    }

    @Override
    public Extension create(HealthCheckConfig config, ComponentContext context) {
      created = (HealthCheckExtension) real.create(config, context);
      return created;
    }
  }

  private Service service(String healthSettings) throws Exception {
    CollectorConfig config =
        ConfigLoader.builder()
            .components(test.components(health))
            .env(Map.of())
            .build()
            .loadYaml(
                String.join(
                    "\n",
                    "receivers: {otlp: {}}",
                    "exporters: {debug: {}}",
                    "extensions:",
                    "  health_check: " + healthSettings,
                    "service:",
                    "  extensions: [health_check]",
                    "  pipelines:",
                    "    traces: {receivers: [otlp], exporters: [debug]}",
                    ""));
    return ServiceAssembler.assemble(
            config,
            new ServiceAssembler.Resources(new SimpleMeterRegistry(), threads, threads))
        .service();
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + health.created.address().getPort() + path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answers503WhileStarting200WhenReadyAnd503WhileShuttingDown() throws Exception {
    test.holdReceiverStart = new CountDownLatch(1);
    test.holdExporterShutdown = new CountDownLatch(1);
    Service service = service("{endpoint: '127.0.0.1:0'}");

    // Extensions start first; the receiver's start is held, so the pipelines are not ready.
    Thread starter = new Thread(() -> {
      try {
        service.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    starter.start();
    await().ignoreExceptions().until(() -> get("/").statusCode() == 503);
    HttpResponse<String> starting = get("/");
    assertThat(starting.body()).startsWith("{\"status\":\"Server not available\",\"upSince\":\"");
    assertThat(starting.headers().firstValue("content-type")).contains("application/json");

    test.holdReceiverStart.countDown();
    starter.join();
    HttpResponse<String> ready = get("/");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .matches("\\{\"status\":\"Server available\",\"upSince\":\"[^\"]+\",\"uptime\":\"\\w+\"}");

    int port = health.created.address().getPort();
    // While exporters drain, the extension still answers, and says not ready.
    Thread stopper = new Thread(() -> service.shutdown(Duration.ofSeconds(5)));
    stopper.start();
    await().until(() -> get("/").statusCode() == 503);
    test.holdExporterShutdown.countDown();
    stopper.join();
    // Closed: nothing listens any more (a raw connect; a pooled HTTP connection may linger).
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void servesOnlyItsPathWithGetAndCustomBodies() throws Exception {
    Service service =
        service(
            "{endpoint: '127.0.0.1:0', path: /health,"
                + " response_body: {healthy: ok, unhealthy: not yet}}");
    service.start();
    try {
      HttpResponse<String> ok = get("/health");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("ok");
      assertThat(get("/").statusCode()).isEqualTo(404);
      URI uri = URI.create("http://127.0.0.1:" + health.created.address().getPort() + "/health");
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    } finally {
      service.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void badSettingsAreConfigErrors() {
    assertThatThrownBy(() -> service("{endpoint: 13133, path: health}"))
        .hasMessageContaining(
            "extensions.health_check.endpoint: \"13133\" is not host:port; write e.g."
                + " localhost:8888 or 0.0.0.0:8888")
        .hasMessageContaining("extensions.health_check.path: must start with '/', e.g. /health");
  }
}
