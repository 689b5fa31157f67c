package io.tollgate.processor.tailsampling;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;

/** Type {@code tail_sampling}: keeps or drops whole traces once they are complete. */
public final class TailSamplingProcessorFactory implements ProcessorFactory<TailSamplingConfig> {

  public static final String TYPE = "tail_sampling";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public Class<TailSamplingConfig> configClass() {
    return TailSamplingConfig.class;
  }

  @Override
  public TailSamplingConfig defaultConfig() {
    return TailSamplingConfig.defaults();
  }

  @Override
  public String description() {
    return "Keeps or drops whole traces by policy (errors, truncation, cost, tokens, models,"
        + " attributes, probability) within a memory budget in bytes";
  }

  @Override
  public Processor create(
      TailSamplingConfig config, ComponentContext context, TracesConsumer next) {
    return new TailSamplingProcessor(config, context, next, System::nanoTime);
  }
}
