package io.tollgate.core.exporterhelper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code compression} of exporter requests: the two the OTLP specification requires. */
public enum Compression {
  GZIP,
  NONE;

  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts {@code gzip}, {@code none} and, as the collector does, {@code ""} for none. */
  @JsonCreator
  public static Compression fromConfig(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "gzip":
        return GZIP;
      case "":
      case "none":
        return NONE;
      default:
        throw new IllegalArgumentException(
            "unsupported compression \"" + value + "\"; use gzip or none");
    }
  }

  @Override
  public String toString() {
    return configName();
  }
}
