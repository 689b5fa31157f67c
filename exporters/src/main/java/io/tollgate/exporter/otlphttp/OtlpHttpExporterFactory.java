package io.tollgate.exporter.otlphttp;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.exporterhelper.QueuedRetryExporter;
import io.tollgate.exporter.internal.Validation;
import java.util.List;

/** {@code otlp_http} (alias {@code otlphttp}): OTLP over HTTP, protobuf or JSON. */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpConfig> {

  public static final String TYPE = "otlp_http";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> aliases() {
    return List.of("otlphttp");
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Class<OtlpHttpConfig> configClass() {
    return OtlpHttpConfig.class;
  }

  @Override
  public OtlpHttpConfig defaultConfig() {
    return OtlpHttpConfig.defaults();
  }

  @Override
  public String description() {
    return "Sends spans over OTLP/HTTP (protobuf or JSON) with a sending queue and retries.";
  }

  @Override
  public Exporter create(OtlpHttpConfig config, ComponentContext context) {
    return exporter(config, context);
  }

  /** The exporter for {@code config}; the presets (langfuse, anyway, …) map onto this. */
  public static Exporter exporter(OtlpHttpConfig config, ComponentContext context) {
    Validation.requireValid(config, context);
    return QueuedRetryExporter.builder(context, new OtlpHttpSender(config, context.workers()))
        .queue(config.sendingQueue())
        .retry(config.retryOnFailure())
        .build();
  }
}
