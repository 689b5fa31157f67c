package io.tollgate.core.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.telemetry.MetricNames;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Wraps a processor to count what goes in ({@code otelcol_processor_incoming_items}); the
 * matching {@link #countingNext} counts what comes out. Every processor gets these two metrics
 * without writing a line for them.
 */
public final class ObservedProcessor implements Processor {

  private final Processor delegate;
  private final Counter incoming;

  private ObservedProcessor(Processor delegate, Counter incoming) {
    this.delegate = delegate;
    this.incoming = incoming;
  }

  public static ObservedProcessor wrap(
      Processor delegate, MeterRegistry registry, String processorId, String pipeline) {
    Counter incoming =
        Counter.builder(MetricNames.PROCESSOR_INCOMING_ITEMS)
            .description("Number of items passed to the processor.")
            .tag(MetricNames.PROCESSOR, processorId)
            .tag(MetricNames.PIPELINE, pipeline)
            .tag("otel.signal", "traces")
            .register(registry);
    return new ObservedProcessor(delegate, incoming);
  }

  /** The consumer to give the processor as its {@code next}: counts outgoing items. */
  public static TracesConsumer countingNext(
      TracesConsumer next, MeterRegistry registry, String processorId, String pipeline) {
    Counter outgoing =
        Counter.builder(MetricNames.PROCESSOR_OUTGOING_ITEMS)
            .description("Number of items emitted from the processor.")
            .tag(MetricNames.PROCESSOR, processorId)
            .tag(MetricNames.PIPELINE, pipeline)
            .tag("otel.signal", "traces")
            .register(registry);
    return new TracesConsumer() {
      @Override
      public CompletionStage<Void> consume(TraceBatch batch) {
        outgoing.increment(batch.spanCount());
        return next.consume(batch);
      }

      @Override
      public boolean mutatesData() {
        return next.mutatesData();
      }
    };
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    incoming.increment(batch.spanCount());
    return delegate.consume(batch);
  }

  @Override
  public boolean mutatesData() {
    return delegate.mutatesData();
  }

  @Override
  public void start() throws Exception {
    delegate.start();
  }

  @Override
  public void shutdown(Instant deadline) {
    delegate.shutdown(deadline);
  }
}
