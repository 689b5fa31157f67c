package io.tollgate.exporter.internal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code protocol} of the presets that speak both OTLP transports (Jaeger, Tempo). */
public enum OtlpProtocol {
  GRPC,
  HTTP;

  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static OtlpProtocol fromConfig(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "grpc":
        return GRPC;
      case "http":
      case "http/protobuf":
        return HTTP;
      default:
        throw new IllegalArgumentException(
            "unsupported protocol \"" + value + "\"; use grpc or http");
    }
  }

  @Override
  public String toString() {
    return configName();
  }
}
