package io.tollgate.exporter.otlphttp;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code encoding} of OTLP/HTTP request bodies. */
public enum OtlpHttpEncoding {
  PROTO("application/x-protobuf"),
  JSON("application/json");

  private final String contentType;

  OtlpHttpEncoding(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static OtlpHttpEncoding fromConfig(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "proto":
      case "protobuf":
        return PROTO;
      case "json":
        return JSON;
      default:
        throw new IllegalArgumentException(
            "unsupported encoding \"" + value + "\"; use proto or json");
    }
  }

  @Override
  public String toString() {
    return configName();
  }
}
