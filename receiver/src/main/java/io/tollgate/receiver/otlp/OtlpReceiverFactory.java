package io.tollgate.receiver.otlp;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Receiver;
import io.tollgate.core.component.ReceiverFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;

/** The {@code otlp} receiver: OTLP traces over gRPC (:4317) and HTTP (:4318). */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {

  public static final String TYPE = "otlp";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Class<OtlpReceiverConfig> configClass() {
    return OtlpReceiverConfig.class;
  }

  @Override
  public OtlpReceiverConfig defaultConfig() {
    return OtlpReceiverConfig.defaults();
  }

  @Override
  public String description() {
    return "OTLP traces over gRPC and HTTP (protobuf or JSON; gzip, deflate, zstd)";
  }

  @Override
  public Receiver create(OtlpReceiverConfig config, ComponentContext context, TracesConsumer next) {
    return new OtlpReceiver(config, context, next);
  }
}
