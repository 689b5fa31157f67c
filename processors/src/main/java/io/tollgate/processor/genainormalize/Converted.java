package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.List;

/**
 * A source value converted for its target.
 *
 * @param json the document, for targets that hold JSON (compared by structure)
 * @param asSent for finish reasons: the values as the provider sent them
 */
record Converted(AnyValue value, JsonNode json, List<String> asSent) {

  /** The source is there but its value cannot be converted: it stays under its own key. */
  static final Converted FAILED = new Converted(null, null, null);

  /** The source says nothing (e.g. the JSON field it reads is absent). */
  static final Converted ABSENT = new Converted(null, null, null);

  static Converted of(AnyValue value) {
    return new Converted(value, null, null);
  }

  static Converted ofJson(JsonNode json) {
    return new Converted(Json.writeValue(json), json, null);
  }

  boolean ok() {
    return value != null;
  }
}
