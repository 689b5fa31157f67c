package io.tollgate.exporter.jaeger;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.exporter.internal.OtlpProtocol;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcExporterFactory;
import io.tollgate.exporter.otlphttp.OtlpHttpExporterFactory;

/** {@code jaeger}: OTLP to Jaeger v2 (gRPC by default, or HTTP). */
public final class JaegerExporterFactory implements ExporterFactory<JaegerConfig> {

  @Override
  public String type() {
    return "jaeger";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Class<JaegerConfig> configClass() {
    return JaegerConfig.class;
  }

  @Override
  public JaegerConfig defaultConfig() {
    return JaegerConfig.defaults();
  }

  @Override
  public String description() {
    return "Sends spans to Jaeger v2 over OTLP (gRPC :4317 or HTTP :4318).";
  }

  @Override
  public Exporter create(JaegerConfig config, ComponentContext context) {
    return config.protocol() == OtlpProtocol.GRPC
        ? OtlpGrpcExporterFactory.exporter(config.toGrpc(), context)
        : OtlpHttpExporterFactory.exporter(config.toHttp(), context);
  }
}
