package io.tollgate.processor.genainormalize;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the GenAI attributes of every span onto the OpenTelemetry GenAI semantic conventions,
 * whichever library produced them, then passes the batch on. Synchronous and allocation-free for
 * spans that carry nothing GenAI.
 */
final class GenAiNormalizeProcessor implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(GenAiNormalizeProcessor.class);

  private final ComponentContext context;
  private final MappingTable table;
  private final SpanNormalizer normalizer;
  private final NormalizeMetrics metrics;
  private final TracesConsumer next;

  GenAiNormalizeProcessor(
      GenAiNormalizeConfig config, ComponentContext context, TracesConsumer next) {
    this.context = context;
    this.table = MappingTable.builtIn().configure(config);
    this.normalizer = new SpanNormalizer(table, config);
    this.metrics =
        new NormalizeMetrics(context.meterRegistry(), context.id().toString(), context.pipeline());
    this.next = next;
  }

  @Override
  public void start() {
    LOG.info(
        "{}: mapping table v{} for the GenAI semantic conventions {}",
        context.id(),
        table.tableVersion(),
        table.semconvVersion());
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    NormalizeMetrics.Tally tally = new NormalizeMetrics.Tally();
    SpanNormalizer.Outcome outcome = new SpanNormalizer.Outcome();
    batch.forEachSpan(
        span -> {
          try {
            if (normalizer.normalize(span, outcome)) {
              tally.add(outcome);
            }
          } catch (RuntimeException e) {
            // The span is passed on as it came: decisions are applied only once all are made.
            tally.failed++;
            if (LOG.isDebugEnabled()) {
              LOG.debug(
                  "{}: could not normalise span {} of trace {}",
                  context.id(),
                  span.spanIdHex(),
                  span.traceIdHex(),
                  e);
            }
          }
        });
    metrics.record(tally);
    return next.consume(batch);
  }

  @Override
  public boolean mutatesData() {
    return true;
  }
}
