package io.tollgate.extension.healthcheck;

import io.tollgate.collector.internal.HostPort;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;

/**
 * Settings of the {@code health_check} extension, as the collector's.
 *
 * @param endpoint where to listen, {@code host:port}
 * @param path the path that answers; others get 404
 * @param responseBody fixed bodies instead of the JSON status, when set
 */
public record HealthCheckConfig(String endpoint, String path, ResponseBody responseBody)
    implements ComponentConfig {

  public static final String DEFAULT_ENDPOINT = "localhost:13133";

  /**
   * @param healthy the body sent with 200
   * @param unhealthy the body sent with 503
   */
  public record ResponseBody(String healthy, String unhealthy) {
    public ResponseBody {
      healthy = healthy == null ? "" : healthy;
      unhealthy = unhealthy == null ? "" : unhealthy;
    }
  }

  public HealthCheckConfig {
    endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
    path = path == null ? "/" : path;
    responseBody = responseBody == null ? new ResponseBody("", "") : responseBody;
  }

  static HealthCheckConfig defaults() {
    return new HealthCheckConfig(DEFAULT_ENDPOINT, "/", new ResponseBody("", ""));
  }

  @Override
  public void validate(ConfigIssues issues) {
    try {
      HostPort.parse(endpoint);
    } catch (IllegalArgumentException e) {
      issues.add("endpoint", e.getMessage());
    }
    issues.require(path.startsWith("/"), "path", "must start with '/', e.g. /health");
  }
}
