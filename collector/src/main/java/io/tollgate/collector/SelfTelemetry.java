package io.tollgate.collector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tollgate.collector.internal.HostPort;
import io.tollgate.collector.internal.HttpServer;
import io.tollgate.config.TelemetryConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The collector's own metrics: a Prometheus registry shared by every component, JVM and process
 * metrics, and the endpoint that serves them ({@code /metrics} and {@code /} on {@code
 * service.telemetry.metrics.address}). With {@code level: none} the registry is a no-op and nothing
 * listens.
 */
final class SelfTelemetry implements AutoCloseable {

  /** The classic Prometheus text format, which every scraper reads. */
  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  static final String OPENMETRICS_FORMAT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final MeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final HttpServer server;
  private final HostPort address;

  private SelfTelemetry(
      MeterRegistry registry, JvmGcMetrics gcMetrics, HttpServer server, HostPort address) {
    this.registry = registry;
    this.gcMetrics = gcMetrics;
    this.server = server;
    this.address = address;
  }

  /**
   * Starts self-telemetry while the caller goes on: the registry now (components register their
   * meters in it as they are created), the JVM binders and the endpoint on a thread of their own.
   *
   * <p>Why: binding the JVM metrics (the management beans) and starting the first Netty server took
   * a sidecar's main thread 50-100 ms of CPU before a single component was created; on a second
   * core they overlap with creating the components, and the Netty classes they load are ready when
   * the receivers start.
   */
  static Starting startConcurrently(TelemetryConfig.Metrics config) {
    if (config.level() == TelemetryConfig.Level.NONE) {
      SelfTelemetry off = off();
      return new Starting(off.registry, CompletableFuture.completedFuture(off));
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CompletableFuture<SelfTelemetry> started = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                started.complete(finish(prometheus, config));
              } catch (Throwable e) {
                started.completeExceptionally(e);
              }
            },
            "tollgate-start-metrics");
    thread.setDaemon(true);
    thread.start();
    return new Starting(prometheus, started);
  }

  private static SelfTelemetry off() {
    return new SelfTelemetry(new CompositeMeterRegistry(), null, null, null);
  }

  private static SelfTelemetry finish(
      PrometheusMeterRegistry prometheus, TelemetryConfig.Metrics config) throws IOException {
    new ClassLoaderMetrics().bindTo(prometheus);
    new JvmMemoryMetrics().bindTo(prometheus);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(prometheus);
    new JvmThreadMetrics().bindTo(prometheus);
    new ProcessorMetrics().bindTo(prometheus);
    new UptimeMetrics().bindTo(prometheus);
    new FileDescriptorMetrics().bindTo(prometheus);
    HostPort address = HostPort.parse(config.address());
    HttpServer server;
    try {
      server =
          HttpServer.start(
              "metrics", address, (path, request) -> scrape(prometheus, path, request));
    } catch (IOException e) {
      gc.close();
      prometheus.close();
      throw e;
    }
    return new SelfTelemetry(
        prometheus, gc, server, new HostPort(address.host(), server.localAddress().getPort()));
  }

  /** Self-telemetry being started by {@link #startConcurrently}. */
  static final class Starting {
    private final MeterRegistry registry;
    private final CompletableFuture<SelfTelemetry> started;

    private Starting(MeterRegistry registry, CompletableFuture<SelfTelemetry> started) {
      this.registry = registry;
      this.started = started;
    }

    /** The registry, usable at once. */
    MeterRegistry registry() {
      return registry;
    }

    /**
     * Waits for the start to finish.
     *
     * @throws IOException when the metrics address cannot be bound
     */
    SelfTelemetry await() throws IOException {
      try {
        return started.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException) {
          throw (IOException) cause;
        }
        if (cause instanceof RuntimeException) {
          throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        throw e;
      }
    }

    /**
     * For a start that fails elsewhere: waits, releases what was started, and returns what made
     * this start fail (null if it did not).
     */
    Throwable abandon() {
      try {
        started.join().close();
        return null;
      } catch (CompletionException e) {
        return e.getCause();
      }
    }
  }

  private static HttpServer.Response scrape(
      PrometheusMeterRegistry registry, String path, FullHttpRequest request) throws IOException {
    if (!path.equals("/metrics") && !path.equals("/")) {
      return HttpServer.Response.text(HttpResponseStatus.NOT_FOUND, "see /metrics\n");
    }
    String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
    // OpenMetrics when the scraper asks for it; else the classic text format. Never protobuf:
    // this endpoint does not serve native histograms.
    String contentType =
        accept.contains("application/openmetrics-text") ? OPENMETRICS_FORMAT : TEXT_FORMAT;
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    registry.scrape(out, contentType);
    return new HttpServer.Response(HttpResponseStatus.OK, contentType, out.toByteArray());
  }

  MeterRegistry registry() {
    return registry;
  }

  /** Where {@code /metrics} is served, when it is. */
  Optional<HostPort> address() {
    return Optional.ofNullable(address);
  }

  Optional<InetSocketAddress> boundAddress() {
    return server == null ? Optional.empty() : Optional.of(server.localAddress());
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (gcMetrics != null) {
      gcMetrics.close();
    }
    registry.close();
  }
}
