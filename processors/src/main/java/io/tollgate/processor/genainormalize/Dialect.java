package io.tollgate.processor.genainormalize;

import java.util.Locale;

/** Where a source attribute comes from; the {@code dialect} label of the processor's metrics. */
enum Dialect {
  OTEL_DEPRECATED,
  OPENLLMETRY,
  OPENINFERENCE,
  VERCEL_AI,
  ADHOC,
  LANGFUSE,
  /** The user's {@code custom_mappings}. */
  CUSTOM;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The name used in the config ({@code sources}) and in metric labels. */
  String label() {
    return label;
  }

  static Dialect fromLabel(String label) {
    for (Dialect d : values()) {
      if (d.label.equals(label)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dialect \"" + label + "\"");
  }
}
