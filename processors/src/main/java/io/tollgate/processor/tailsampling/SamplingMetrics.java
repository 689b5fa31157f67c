package io.tollgate.processor.tailsampling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.telemetry.MetricNames;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The processor's self-telemetry. Names shared with the collector's tail sampling processor keep
 * its {@code otelcol_processor_tail_sampling_*} names and labels; what the collector has no name
 * for is {@code tollgate_processor_tail_sampling_*}. Every meter is made up front, so counting
 * costs no lookup on the hot path, and label values come from config, so cardinality is bounded.
 */
final class SamplingMetrics {

  static final String PREFIX = "otelcol_processor_tail_sampling_";
  static final String OWN_PREFIX = "tollgate_processor_tail_sampling_";
  static final String DOWNSTREAM_REFUSED = "tollgate_processor_downstream_refused_spans";

  /** What made a trace be decided. Also written on kept root spans. */
  enum Trigger {
    /** The root span arrived {@code decision_wait_after_root} ago. */
    ROOT,
    /** The first span arrived {@code decision_wait} ago. */
    DECISION_WAIT,
    /** The trace reached {@code max_trace_bytes}. */
    MAX_TRACE_BYTES,
    /** The buffer reached {@code max_buffered_bytes}; the oldest traces go first. */
    MAX_BUFFERED_BYTES,
    /** The processor is shutting down. */
    SHUTDOWN;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Counter[][] policyTraces;
  private final Counter[][] policySpans;
  private final Counter globalSampled;
  private final Counter globalNotSampled;
  private final Counter spansSampled;
  private final Counter spansNotSampled;
  private final Counter lateSampled;
  private final Counter lateNotSampled;
  private final Counter evaluationErrors;
  private final Counter downstreamRefused;
  private final Counter decisionFailed;
  private final Timer evaluation;
  private final Map<Trigger, Timer> decisionDelay = new EnumMap<>(Trigger.class);
  private final Counter earlyForTrace;
  private final Counter earlyForBuffer;

  SamplingMetrics(
      ComponentContext ctx,
      List<String> policyNames,
      Supplier<Number> tracesInMemory,
      Supplier<Number> bufferedBytes,
      Supplier<Number> slabBytes) {
    MeterRegistry r = ctx.meterRegistry();
    Tags tags =
        Tags.of(MetricNames.PROCESSOR, ctx.id().toString(), MetricNames.PIPELINE, ctx.pipeline());
    // No base unit where the collector's name does not end in one: Prometheus output appends it
    // (count_traces_sampled_traces_total), and the collector's dashboards would find nothing.
    Policies.Decision[] decisions = Policies.Decision.values();
    policyTraces = new Counter[policyNames.size()][decisions.length];
    policySpans = new Counter[policyNames.size()][decisions.length];
    for (int i = 0; i < policyNames.size(); i++) {
      for (Policies.Decision d : decisions) {
        Tags t =
            tags.and(
                "policy", policyNames.get(i),
                "decision", d.name().toLowerCase(Locale.ROOT),
                "sampled", Boolean.toString(d == Policies.Decision.SAMPLED));
        policyTraces[i][d.ordinal()] =
            Counter.builder(PREFIX + "count_traces_sampled")
                .description("Traces each policy voted to sample, not sample or drop.")
                .tags(t)
                .register(r);
        policySpans[i][d.ordinal()] =
            Counter.builder(PREFIX + "count_spans_sampled")
                .description("Spans of the traces each policy voted on, by vote.")
                .tags(t)
                .register(r);
      }
    }
    globalSampled = globalTraces(r, tags, true);
    globalNotSampled = globalTraces(r, tags, false);
    spansSampled = globalSpans(r, tags, true);
    spansNotSampled = globalSpans(r, tags, false);
    lateSampled = late(r, tags, true);
    lateNotSampled = late(r, tags, false);
    evaluationErrors =
        Counter.builder(PREFIX + "sampling_policy_evaluation_error")
            .description("Policy evaluations that failed (the policy then votes not sampled).")
            .tags(tags)
            .register(r);
    downstreamRefused =
        Counter.builder(DOWNSTREAM_REFUSED)
            .description(
                "Spans of kept traces that the next component refused after this processor had"
                    + " already accepted them; they are lost.")
            .baseUnit("spans")
            .tags(tags)
            .register(r);
    decisionFailed =
        Counter.builder(OWN_PREFIX + "decision_failed_spans")
            .description(
                "Spans of traces whose decision failed part way (the heap ran out while a kept"
                    + " trace was read out of its slab, or a bug); they are lost.")
            .baseUnit("spans")
            .tags(tags)
            .register(r);
    evaluation =
        Timer.builder(PREFIX + "sampling_decision_latency")
            .description("Time to evaluate every policy over one trace.")
            .tags(tags)
            .register(r);
    for (Trigger trigger : Trigger.values()) {
      decisionDelay.put(
          trigger,
          Timer.builder(OWN_PREFIX + "decision_delay")
              .description("Time from a trace's first span to its decision, by what triggered it.")
              .tags(tags.and("trigger", trigger.label()))
              .register(r));
    }
    earlyForTrace = early(r, tags, Trigger.MAX_TRACE_BYTES);
    earlyForBuffer = early(r, tags, Trigger.MAX_BUFFERED_BYTES);
    Gauge.builder(PREFIX + "sampling_traces_on_memory", tracesInMemory)
        .description("Traces buffered, waiting for a decision.")
        .tags(tags)
        .register(r);
    Gauge.builder(OWN_PREFIX + "buffered_bytes", bufferedBytes)
        .description(
            "Heap taken by the spans waiting for a decision (estimated, see HeapEstimate).")
        .baseUnit("bytes")
        .tags(tags)
        .register(r);
    Gauge.builder(OWN_PREFIX + "buffer_slab_bytes", slabBytes)
        .description(
            "Heap of the reused arrays that buffered spans are encoded into, in use or idle (see"
                + " SlabArena).")
        .baseUnit("bytes")
        .tags(tags)
        .register(r);
  }

  private static Counter globalTraces(MeterRegistry r, Tags tags, boolean sampled) {
    return Counter.builder(PREFIX + "global_count_traces_sampled")
        .description("Traces kept (sampled=true) or not, after every policy.")
        .tags(tags.and("sampled", Boolean.toString(sampled)))
        .register(r);
  }

  private static Counter globalSpans(MeterRegistry r, Tags tags, boolean sampled) {
    return Counter.builder(OWN_PREFIX + "global_count_spans_sampled")
        .description("Spans of the traces kept (sampled=true) or not, late spans included.")
        .tags(tags.and("sampled", Boolean.toString(sampled)))
        .register(r);
  }

  private static Counter late(MeterRegistry r, Tags tags, boolean sampled) {
    return Counter.builder(OWN_PREFIX + "late_spans")
        .description("Spans that arrived after their trace was decided and followed the decision.")
        .baseUnit("spans")
        .tags(tags.and("sampled", Boolean.toString(sampled)))
        .register(r);
  }

  private static Counter early(MeterRegistry r, Tags tags, Trigger reason) {
    return Counter.builder(OWN_PREFIX + "early_decisions")
        .description("Traces decided before their time to keep memory within its budget.")
        .tags(tags.and("reason", reason.label()))
        .register(r);
  }

  void policyVote(int policy, Policies.Decision d, int spans) {
    policyTraces[policy][d.ordinal()].increment();
    policySpans[policy][d.ordinal()].increment(spans);
  }

  void decided(boolean sampled, int spans, Trigger trigger, long delayNanos, long evalNanos) {
    (sampled ? globalSampled : globalNotSampled).increment();
    (sampled ? spansSampled : spansNotSampled).increment(spans);
    decisionDelay.get(trigger).record(Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    evaluation.record(evalNanos, TimeUnit.NANOSECONDS);
    if (trigger == Trigger.MAX_TRACE_BYTES) {
      earlyForTrace.increment();
    } else if (trigger == Trigger.MAX_BUFFERED_BYTES) {
      earlyForBuffer.increment();
    }
  }

  /** Spans that arrived while their trace was being decided: they join it. */
  void joined(boolean sampled, int spans) {
    (sampled ? spansSampled : spansNotSampled).increment(spans);
  }

  void late(boolean sampled, int spans) {
    (sampled ? lateSampled : lateNotSampled).increment(spans);
    (sampled ? spansSampled : spansNotSampled).increment(spans);
  }

  void evaluationError() {
    evaluationErrors.increment();
  }

  void downstreamRefused(int spans) {
    downstreamRefused.increment(spans);
  }

  void decisionFailed(int spans) {
    decisionFailed.increment(spans);
  }
}
