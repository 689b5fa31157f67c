package io.tollgate.exporter.langfuse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The Langfuse Cloud data regions, each with its own host. */
public enum LangfuseRegion {
  EU("cloud.langfuse.com"),
  US("us.cloud.langfuse.com"),
  JP("jp.cloud.langfuse.com"),
  HIPAA("hipaa.cloud.langfuse.com");

  private final String host;

  LangfuseRegion(String host) {
    this.host = host;
  }

  /** The OTLP base URL of this region; traces go to {@code <base>/v1/traces}. */
  public String otelBaseUrl() {
    return "https://" + host + LangfuseConfig.OTEL_PATH;
  }

  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static LangfuseRegion fromConfig(String value) {
    String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    try {
      return valueOf(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown Langfuse region \"" + value + "\"; use eu, us, jp or hipaa (or set endpoint)");
    }
  }

  @Override
  public String toString() {
    return configName();
  }
}
