package io.tollgate.processor.redaction;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a redacted span says about its redactions, with the collector's redaction processor levels.
 * No level ever writes a redacted value.
 */
public enum SummaryLevel {
  /** {@code tollgate.redaction.count} and {@code tollgate.redaction.entities} (counts per type). */
  DEBUG,
  /** {@code tollgate.redaction.count} only. */
  INFO,
  /** Nothing. */
  SILENT;

  @JsonValue
  public String configName() {
    return ConfigEnums.configName(this);
  }

  @JsonCreator
  public static SummaryLevel parse(String text) {
    return ConfigEnums.parse(SummaryLevel.class, "summary", text);
  }
}
