package io.tollgate.receiver.otlp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.core.telemetry.MetricNames;
import java.util.EnumMap;
import java.util.Map;

/**
 * The collector's receiver metrics, labelled {@code receiver} (the component id) and {@code
 * transport}. Every counter is registered up front so that dashboards see zeros, not gaps.
 */
final class ReceiverMetrics {

  /** The {@code outcome} label of {@code otelcol_receiver_requests}. */
  enum Outcome {
    /** Accepted downstream, possibly with some spans rejected (partial success). */
    SUCCESS("success"),
    /** The pipeline refused: throttled, unavailable or permanently rejected. */
    REFUSED("refused"),
    /** The request could not be read, or something failed unexpectedly. */
    FAILURE("failure");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final Map<Transport, Counter> accepted = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> refused = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> failed = new EnumMap<>(Transport.class);
  private final Map<Transport, Map<Outcome, Counter>> requests = new EnumMap<>(Transport.class);

  ReceiverMetrics(MeterRegistry registry, String receiverId) {
    for (Transport t : Transport.values()) {
      accepted.put(
          t,
          counter(
              registry,
              MetricNames.RECEIVER_ACCEPTED_SPANS,
              "Spans successfully pushed into the pipeline.",
              receiverId,
              t));
      refused.put(
          t,
          counter(
              registry,
              MetricNames.RECEIVER_REFUSED_SPANS,
              "Spans that could not be pushed into the pipeline: refused downstream or with"
                  + " invalid ids.",
              receiverId,
              t));
      failed.put(
          t,
          counter(
              registry,
              MetricNames.RECEIVER_FAILED_SPANS,
              "Spans that failed because of an internal error.",
              receiverId,
              t));
      Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        byOutcome.put(
            o,
            Counter.builder(MetricNames.RECEIVER_REQUESTS)
                .description("Export requests received, by outcome.")
                .tag(MetricNames.RECEIVER, receiverId)
                .tag(MetricNames.TRANSPORT, t.label())
                .tag("outcome", o.label)
                .register(registry));
      }
      requests.put(t, byOutcome);
    }
  }

  private static Counter counter(
      MeterRegistry registry, String name, String description, String receiverId, Transport t) {
    return Counter.builder(name)
        .description(description)
        .tag(MetricNames.RECEIVER, receiverId)
        .tag(MetricNames.TRANSPORT, t.label())
        .register(registry);
  }

  void accepted(Transport t, int spans) {
    if (spans > 0) {
      accepted.get(t).increment(spans);
    }
  }

  void refused(Transport t, int spans) {
    if (spans > 0) {
      refused.get(t).increment(spans);
    }
  }

  void failed(Transport t, int spans) {
    if (spans > 0) {
      failed.get(t).increment(spans);
    }
  }

  void request(Transport t, Outcome outcome) {
    requests.get(t).get(outcome).increment();
  }
}
