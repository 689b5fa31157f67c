package io.tollgate.extension.healthcheck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tollgate.collector.internal.HostPort;
import io.tollgate.collector.internal.HttpServer;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Durations;
import io.tollgate.core.component.Extension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 200 once every pipeline has started and until shutdown begins, 503 otherwise, with
 * the collector's body: {@code {"status":"Server available","upSince":…,"uptime":…}}. Kubernetes
 * readiness and liveness probes point here.
 */
final class HealthCheckExtension implements Extension {

  private static final Logger log = LoggerFactory.getLogger(HealthCheckExtension.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HealthCheckConfig config;
  private final ComponentContext context;
  private final Clock clock;
  private volatile HttpServer server;
  private volatile Instant upSince;

  HealthCheckExtension(HealthCheckConfig config, ComponentContext context, Clock clock) {
    this.config = config;
    this.context = context;
    this.clock = clock;
  }

  @Override
  public void start() throws Exception {
    upSince = clock.instant();
    HostPort address = HostPort.parse(config.endpoint());
    server = HttpServer.start("health-check", address, this::answer);
    HostPort bound = new HostPort(address.host(), server.localAddress().getPort());
    log.info("{} answers on http://{}{}", context.id(), bound, config.path());
  }

  /** The bound address; for tests that listen on port 0. */
  java.net.InetSocketAddress address() {
    return server.localAddress();
  }

  private HttpServer.Response answer(String path, FullHttpRequest request)
      throws JsonProcessingException {
    if (!path.equals(config.path())) {
      return HttpServer.Response.text(HttpResponseStatus.NOT_FOUND, "not found\n");
    }
    boolean ready = context.pipelinesReady();
    HttpResponseStatus status =
        ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
    String custom = ready ? config.responseBody().healthy() : config.responseBody().unhealthy();
    if (!custom.isEmpty()) {
      return HttpServer.Response.text(status, custom);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("status", ready ? "Server available" : "Server not available");
    body.put("upSince", upSince.toString());
    Duration uptime = Duration.between(upSince, clock.instant()).truncatedTo(ChronoUnit.MILLIS);
    body.put("uptime", Durations.format(uptime));
    return new HttpServer.Response(
        status,
        "application/json",
        JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void shutdown(Instant deadline) {
    HttpServer s = server;
    if (s != null) {
      s.close();
    }
  }
}
