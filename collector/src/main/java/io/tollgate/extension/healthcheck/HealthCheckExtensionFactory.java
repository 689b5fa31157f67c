package io.tollgate.extension.healthcheck;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Extension;
import io.tollgate.core.component.ExtensionFactory;
import io.tollgate.core.component.Stability;
import java.time.Clock;

/** The {@code health_check} extension: an HTTP endpoint for readiness and liveness probes. */
public final class HealthCheckExtensionFactory implements ExtensionFactory<HealthCheckConfig> {

  public static final String TYPE = "health_check";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public String description() {
    return "HTTP health endpoint: 200 when every pipeline runs, 503 while starting or stopping";
  }

  @Override
  public Class<HealthCheckConfig> configClass() {
    return HealthCheckConfig.class;
  }

  @Override
  public HealthCheckConfig defaultConfig() {
    return HealthCheckConfig.defaults();
  }

  @Override
  public Extension create(HealthCheckConfig config, ComponentContext context) {
    return new HealthCheckExtension(config, context, Clock.systemUTC());
  }
}
