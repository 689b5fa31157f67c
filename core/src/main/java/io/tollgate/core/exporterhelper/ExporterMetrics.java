package io.tollgate.core.exporterhelper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.core.telemetry.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The collector's exporter metrics, each tagged with the {@code exporter} id only (so every
 * series of one name has the same labels, as Prometheus wants). No base units: Micrometer's
 * Prometheus naming would append them and the names would no longer be the collector's.
 */
final class ExporterMetrics {

  private final MeterRegistry registry;
  private final String exporterId;
  private final Counter sent;
  private final Counter sendFailed;
  private final Counter enqueueFailed;
  private final List<Meter> gauges = new ArrayList<>();

  ExporterMetrics(MeterRegistry registry, String exporterId) {
    this.registry = registry;
    this.exporterId = exporterId;
    this.sent =
        counter(
            MetricNames.EXPORTER_SENT_SPANS,
            "Number of spans successfully sent to destination.");
    this.sendFailed =
        counter(
            MetricNames.EXPORTER_SEND_FAILED_SPANS,
            "Number of spans in failed attempts to send to destination.");
    this.enqueueFailed =
        counter(
            MetricNames.EXPORTER_ENQUEUE_FAILED_SPANS,
            "Number of spans failed to be added to the sending queue.");
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name)
        .description(description)
        .tag(MetricNames.EXPORTER, exporterId)
        .register(registry);
  }

  /** Registers a gauge that holds its source strongly; removed again by {@link #close()}. */
  void gauge(String name, String description, Supplier<Number> value) {
    gauges.add(
        Gauge.builder(name, value)
            .description(description)
            .tag(MetricNames.EXPORTER, exporterId)
            .strongReference(true)
            .register(registry));
  }

  void sent(long spans) {
    if (spans > 0) {
      sent.increment(spans);
    }
  }

  void sendFailed(long spans) {
    if (spans > 0) {
      sendFailed.increment(spans);
    }
  }

  void enqueueFailed(long spans) {
    enqueueFailed.increment(spans);
  }

  /** Unregisters the gauges, whose sources are gone after shutdown; counters keep their totals. */
  void close() {
    for (Meter m : gauges) {
      registry.remove(m);
    }
    gauges.clear();
  }
}
