package io.tollgate.processor.genainormalize;

import java.util.Locale;

/** How a source value is converted for its target; named in the mapping table. */
enum ValueType {
  STRING,
  /**
   * A string, unquoted when it holds a JSON-serialised string: Langfuse's SDKs write metadata
   * values through JSON.stringify, so {@code "u-1"} arrives as {@code "\"u-1\""}.
   */
  JSON_STRING,
  /** Whole numbers: int, integral double or numeric string, never negative; written as int. */
  INT,
  DOUBLE,
  BOOL,
  STRING_ARRAY,
  /** A provider name, renamed through the table's {@code providers}. */
  PROVIDER,
  /** One reason or an array of them, written as a string array. */
  FINISH_REASONS,
  /** OpenAI's {@code response_format} → {@code text} or {@code json}. */
  OUTPUT_TYPE,
  /** Milliseconds in → seconds (double) out. */
  SECONDS_FROM_MS,
  /** Copied unchanged. */
  ANY,
  /** A JSON document, kept as a string. */
  JSON,
  /**
   * Langfuse's {@code usage_details} JSON object: the rule's target says which count is read (see
   * {@link LangfuseUsage}).
   */
  LANGFUSE_USAGE,
  // Message builders: their result is the conventions' message JSON.
  SYSTEM_TEXT,
  USER_TEXT,
  ASSISTANT_TEXT,
  CHAT_MESSAGES,
  CHAT_COMPLETIONS,
  VERCEL_MESSAGES,
  VERCEL_TOOLS;

  static ValueType fromLabel(String label) {
    try {
      return valueOf(label.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown value type \"" + label + "\"", e);
    }
  }

  /** Whether the result is a JSON document (compared by structure, not by text). */
  boolean isJson() {
    switch (this) {
      case JSON:
      case SYSTEM_TEXT:
      case USER_TEXT:
      case ASSISTANT_TEXT:
      case CHAT_MESSAGES:
      case CHAT_COMPLETIONS:
      case VERCEL_MESSAGES:
      case VERCEL_TOOLS:
        return true;
      default:
        return false;
    }
  }
}
