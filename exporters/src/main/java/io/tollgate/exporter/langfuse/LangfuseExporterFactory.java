package io.tollgate.exporter.langfuse;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.exporter.internal.Validation;
import io.tollgate.exporter.otlphttp.OtlpHttpExporterFactory;

/** {@code langfuse}: OTLP/HTTP to Langfuse Cloud or a self-hosted Langfuse. */
public final class LangfuseExporterFactory implements ExporterFactory<LangfuseConfig> {

  @Override
  public String type() {
    return "langfuse";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Class<LangfuseConfig> configClass() {
    return LangfuseConfig.class;
  }

  @Override
  public LangfuseConfig defaultConfig() {
    return LangfuseConfig.defaults();
  }

  @Override
  public String description() {
    return "Sends spans to Langfuse over OTLP/HTTP with the project's key pair.";
  }

  @Override
  public Exporter create(LangfuseConfig config, ComponentContext context) {
    // Checks the keys here too: the generic config would accept an empty Basic credential.
    Validation.requireValid(config, context);
    return OtlpHttpExporterFactory.exporter(config.toHttp(), context);
  }
}
