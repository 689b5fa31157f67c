package io.tollgate.processor.memorylimiter;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;

/** Type {@code memory_limiter}: refuses data, retryably, while the heap is nearly full. */
public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {

  public static final String TYPE = "memory_limiter";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Class<MemoryLimiterConfig> configClass() {
    return MemoryLimiterConfig.class;
  }

  @Override
  public MemoryLimiterConfig defaultConfig() {
    return MemoryLimiterConfig.defaults();
  }

  @Override
  public String description() {
    return "Refuses data with 429 + Retry-After while the heap is above its soft limit";
  }

  @Override
  public Processor create(
      MemoryLimiterConfig config, ComponentContext context, TracesConsumer next) {
    return new MemoryLimiterProcessor(
        config,
        context,
        next,
        new JvmHeapUsage(),
        System::nanoTime,
        ForcedCollections.JVM,
        G1Marking.ofThisJvm());
  }
}
