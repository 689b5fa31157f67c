package io.tollgate.processor.truncate;

import io.micrometer.core.instrument.Counter;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.telemetry.MetricNames;

/** Factory of the {@code truncate} processor. */
public final class TruncateProcessorFactory implements ProcessorFactory<TruncateConfig> {

  public static final String TYPE = "truncate";

  static final String CUT_ATTRIBUTES = "tollgate_truncate_attributes";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public Class<TruncateConfig> configClass() {
    return TruncateConfig.class;
  }

  @Override
  public TruncateConfig defaultConfig() {
    return TruncateConfig.defaults();
  }

  @Override
  public String description() {
    return "Caps long string attributes with a visible suffix; keeps GenAI message JSON valid.";
  }

  @Override
  public Processor create(TruncateConfig config, ComponentContext context, TracesConsumer next) {
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    if (!issues.isEmpty()) {
      throw new IllegalArgumentException("invalid truncate config: " + issues.issues());
    }
    Counter cut =
        Counter.builder(CUT_ATTRIBUTES)
            .description("Attributes of spans and span events cut to their length limit.")
            .tag(MetricNames.PROCESSOR, context.id().toString())
            // One truncate id in two pipelines: two series, as the other processors count them.
            .tag(MetricNames.PIPELINE, context.pipeline())
            .register(context.meterRegistry());
    return new TruncateProcessor(
        new KeyRules(config), new Cutter(config.suffixFormat()), cut, next);
  }
}
