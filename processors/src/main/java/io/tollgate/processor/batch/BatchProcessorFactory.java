package io.tollgate.processor.batch;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;

/** Type {@code batch}: groups spans into larger batches before they are exported. */
public final class BatchProcessorFactory implements ProcessorFactory<BatchConfig> {

  public static final String TYPE = "batch";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Class<BatchConfig> configClass() {
    return BatchConfig.class;
  }

  @Override
  public BatchConfig defaultConfig() {
    return BatchConfig.defaults();
  }

  @Override
  public String description() {
    return "Groups spans into batches by size or time before export, with a bounded buffer";
  }

  @Override
  public Processor create(BatchConfig config, ComponentContext context, TracesConsumer next) {
    return new BatchProcessor(config, context, next);
  }
}
