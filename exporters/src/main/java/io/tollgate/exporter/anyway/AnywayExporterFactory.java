package io.tollgate.exporter.anyway;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.exporter.internal.Validation;
import io.tollgate.exporter.otlphttp.OtlpHttpExporterFactory;

/** {@code anyway}: OTLP/HTTP to the Anyway backend with a bearer API key. */
public final class AnywayExporterFactory implements ExporterFactory<AnywayConfig> {

  @Override
  public String type() {
    return "anyway";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public Class<AnywayConfig> configClass() {
    return AnywayConfig.class;
  }

  @Override
  public AnywayConfig defaultConfig() {
    return AnywayConfig.defaults();
  }

  @Override
  public String description() {
    return "Sends spans to the Anyway backend over OTLP/HTTP with a bearer API key.";
  }

  @Override
  public Exporter create(AnywayConfig config, ComponentContext context) {
    Validation.requireValid(config, context);
    return OtlpHttpExporterFactory.exporter(config.toHttp(), context);
  }
}
