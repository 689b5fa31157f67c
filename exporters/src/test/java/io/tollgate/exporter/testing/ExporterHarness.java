package io.tollgate.exporter.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.RetrySettings;
import io.tollgate.core.telemetry.MetricNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Contexts, metrics and clean shutdown for exporter tests. */
public final class ExporterHarness implements AutoCloseable {

  /** Retries in milliseconds so that tests stay fast. */
  public static final RetrySettings FAST_RETRY =
      RetrySettings.defaults()
          .withIntervals(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10));

  public static final QueueSettings QUEUE = QueueSettings.defaults();

  public final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<Exporter> started = new ArrayList<>();

  public ComponentContext context(String id) {
    return ComponentContext.builder(ComponentKind.EXPORTER, ComponentId.parse(id))
        .meterRegistry(registry)
        .build();
  }

  public <E extends Exporter> E start(E exporter) throws Exception {
    exporter.start();
    started.add(exporter);
    return exporter;
  }

  public double counter(String name, String exporterId) {
    Counter c = registry.find(name).tag(MetricNames.EXPORTER, exporterId).counter();
    return c == null ? 0 : c.count();
  }

  public double sent(String id) {
    return counter(MetricNames.EXPORTER_SENT_SPANS, id);
  }

  public double sendFailed(String id) {
    return counter(MetricNames.EXPORTER_SEND_FAILED_SPANS, id);
  }

  public double enqueueFailed(String id) {
    return counter(MetricNames.EXPORTER_ENQUEUE_FAILED_SPANS, id);
  }

  @Override
  public void close() {
    for (Exporter e : started) {
      e.shutdown(Instant.now().plusMillis(200));
    }
  }
}
