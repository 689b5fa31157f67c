package io.tollgate.processor.redaction;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What the processor does with a text when Presidio could not analyse it. */
public enum OnError {
  /**
   * Redact with the built-in recognisers only and mark the span with {@code
   * tollgate.redaction.presidio=unavailable}. Names and places (NER) may pass through.
   */
  FALLBACK,
  /**
   * Refuse the batch as unavailable (HTTP 503 / gRPC UNAVAILABLE); the sender retries later.
   * Nothing unscanned leaves, at the cost of data when the sender gives up.
   */
  REJECT,
  /** Replace every value Presidio could not scan with a placeholder and mark the span. */
  DROP_CONTENT;

  @JsonValue
  public String configName() {
    return ConfigEnums.configName(this);
  }

  @JsonCreator
  public static OnError parse(String text) {
    return ConfigEnums.parse(OnError.class, "on_error", text);
  }
}
