package io.tollgate.exporter.otlpgrpc;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.exporterhelper.QueuedRetryExporter;
import io.tollgate.exporter.internal.Validation;
import java.util.List;

/** {@code otlp_grpc} (alias {@code otlp}): OTLP over gRPC to any OTLP backend. */
public final class OtlpGrpcExporterFactory implements ExporterFactory<OtlpGrpcConfig> {

  public static final String TYPE = "otlp_grpc";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> aliases() {
    return List.of("otlp");
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Class<OtlpGrpcConfig> configClass() {
    return OtlpGrpcConfig.class;
  }

  @Override
  public OtlpGrpcConfig defaultConfig() {
    return OtlpGrpcConfig.defaults();
  }

  @Override
  public String description() {
    return "Sends spans over OTLP/gRPC with a sending queue and retries.";
  }

  @Override
  public Exporter create(OtlpGrpcConfig config, ComponentContext context) {
    return exporter(config, context);
  }

  /** The exporter for {@code config}; the presets (jaeger, tempo) map onto this. */
  public static Exporter exporter(OtlpGrpcConfig config, ComponentContext context) {
    Validation.requireValid(config, context);
    return QueuedRetryExporter.builder(context, new OtlpGrpcSender(config, context.workers()))
        .queue(config.sendingQueue())
        .retry(config.retryOnFailure())
        .build();
  }
}
