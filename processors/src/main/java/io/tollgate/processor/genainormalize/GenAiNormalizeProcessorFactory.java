package io.tollgate.processor.genainormalize;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;

/** Factory of the {@code genai_normalize} processor. */
public final class GenAiNormalizeProcessorFactory
    implements ProcessorFactory<GenAiNormalizeConfig> {

  public static final String TYPE = "genai_normalize";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public Class<GenAiNormalizeConfig> configClass() {
    return GenAiNormalizeConfig.class;
  }

  @Override
  public GenAiNormalizeConfig defaultConfig() {
    return GenAiNormalizeConfig.defaults();
  }

  @Override
  public String description() {
    MappingTable t = MappingTable.builtIn();
    return "Maps OpenLLMetry, OpenInference, Vercel AI SDK, Langfuse, deprecated and hand-written"
        + " GenAI attributes onto the OpenTelemetry GenAI semantic conventions "
        + t.semconvVersion()
        + " (table v"
        + t.tableVersion()
        + ")";
  }

  @Override
  public Processor create(
      GenAiNormalizeConfig config, ComponentContext context, TracesConsumer next) {
    return new GenAiNormalizeProcessor(config, context, next);
  }
}
