package io.tollgate.exporter.tempo;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.exporter.internal.OtlpProtocol;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcExporterFactory;
import io.tollgate.exporter.otlphttp.OtlpHttpExporterFactory;

/** {@code tempo}: OTLP to Grafana Tempo, with {@code tenant} as {@code X-Scope-OrgID}. */
public final class TempoExporterFactory implements ExporterFactory<TempoConfig> {

  @Override
  public String type() {
    return "tempo";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Class<TempoConfig> configClass() {
    return TempoConfig.class;
  }

  @Override
  public TempoConfig defaultConfig() {
    return TempoConfig.defaults();
  }

  @Override
  public String description() {
    return "Sends spans to Grafana Tempo over OTLP; tenant becomes X-Scope-OrgID.";
  }

  @Override
  public Exporter create(TempoConfig config, ComponentContext context) {
    return config.protocol() == OtlpProtocol.GRPC
        ? OtlpGrpcExporterFactory.exporter(config.toGrpc(), context)
        : OtlpHttpExporterFactory.exporter(config.toHttp(), context);
  }
}
