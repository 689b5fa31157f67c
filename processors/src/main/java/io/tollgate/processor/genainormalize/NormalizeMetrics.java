package io.tollgate.processor.genainormalize;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tollgate.core.telemetry.MetricNames;

/**
 * The processor's own metrics. Counts are summed per batch and added once, so that the per-span
 * path touches no shared state. Labels are bounded: dialects and reasons are fixed sets.
 */
final class NormalizeMetrics {

  static final String SPANS = "tollgate_genai_normalize_spans";
  static final String KEPT = "tollgate_genai_normalize_kept_attributes";
  static final String RENAMED = "tollgate_genai_normalize_renamed_spans";
  static final String FAILED = "tollgate_genai_normalize_failed_spans";

  /** The {@code dialect} label of spans that needed no mapping (already on the conventions). */
  static final String CURRENT = "current";

  /** Per-batch sums. */
  static final class Tally {
    final long[] byDialect = new long[Dialect.values().length];
    long current;
    long conflicts;
    long unconvertible;
    long unknownFields;
    long renamed;
    long failed;

    void add(SpanNormalizer.Outcome o) {
      if (o.dialects == 0) {
        current++;
      } else {
        // The set bits, by ordinal (Dialect.values() would copy the array for every span).
        for (int bits = o.dialects; bits != 0; bits &= bits - 1) {
          byDialect[Integer.numberOfTrailingZeros(bits)]++;
        }
      }
      conflicts += o.conflicts;
      unconvertible += o.unconvertible;
      unknownFields += o.unknownFields;
      if (o.renamed) {
        renamed++;
      }
    }
  }

  private final Counter[] byDialect = new Counter[Dialect.values().length];
  private final Counter current;
  private final Counter conflicts;
  private final Counter unconvertible;
  private final Counter unknownFields;
  private final Counter renamed;
  private final Counter failed;

  NormalizeMetrics(MeterRegistry registry, String processorId, String pipeline) {
    Tags tags = Tags.of(MetricNames.PROCESSOR, processorId, MetricNames.PIPELINE, pipeline);
    String spansHelp =
        "GenAI spans normalised, by the dialect their attributes came from (a span counts once per"
            + " dialect it used; 'current' means it was already on the conventions).";
    for (Dialect d : Dialect.values()) {
      byDialect[d.ordinal()] =
          Counter.builder(SPANS)
              .description(spansHelp)
              .tags(tags)
              .tag("dialect", d.label())
              .register(registry);
    }
    current =
        Counter.builder(SPANS)
            .description(spansHelp)
            .tags(tags)
            .tag("dialect", CURRENT)
            .register(registry);
    String keptHelp =
        "Source attributes (or events) left under their own key: their value could not be"
            + " converted, differed from the canonical value, or had a field the mapping does not"
            + " know.";
    conflicts = kept(registry, tags, keptHelp, "conflict");
    unconvertible = kept(registry, tags, keptHelp, "unconvertible");
    unknownFields = kept(registry, tags, keptHelp, "unknown_field");
    renamed =
        Counter.builder(RENAMED)
            .description("Inference spans renamed to '{operation} {model}' (rename_spans).")
            .tags(tags)
            .register(registry);
    failed =
        Counter.builder(FAILED)
            .description(
                "Spans passed on unchanged because normalising them failed (a bug: report it).")
            .tags(tags)
            .register(registry);
  }

  private static Counter kept(MeterRegistry registry, Tags tags, String help, String reason) {
    return Counter.builder(KEPT)
        .description(help)
        .tags(tags)
        .tag("reason", reason)
        .register(registry);
  }

  void record(Tally t) {
    for (Dialect d : Dialect.values()) {
      if (t.byDialect[d.ordinal()] > 0) {
        byDialect[d.ordinal()].increment(t.byDialect[d.ordinal()]);
      }
    }
    increment(current, t.current);
    increment(conflicts, t.conflicts);
    increment(unconvertible, t.unconvertible);
    increment(unknownFields, t.unknownFields);
    increment(renamed, t.renamed);
    increment(failed, t.failed);
  }

  private static void increment(Counter c, long n) {
    if (n > 0) {
      c.increment(n);
    }
  }
}
