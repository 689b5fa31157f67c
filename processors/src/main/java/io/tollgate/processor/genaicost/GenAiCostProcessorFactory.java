package io.tollgate.processor.genaicost;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Factory of the {@code genai_cost} processor. */
public final class GenAiCostProcessorFactory implements ProcessorFactory<GenAiCostConfig> {

  public static final String TYPE = "genai_cost";

  private static final Logger LOG = LoggerFactory.getLogger(GenAiCostProcessorFactory.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public Class<GenAiCostConfig> configClass() {
    return GenAiCostConfig.class;
  }

  @Override
  public GenAiCostConfig defaultConfig() {
    return GenAiCostConfig.defaults();
  }

  @Override
  public String description() {
    return "Sets gen_ai.usage.cost (USD) from token usage and a dated price table; GenAI metrics.";
  }

  @Override
  public Processor create(GenAiCostConfig config, ComponentContext context, TracesConsumer next) {
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    if (!issues.isEmpty()) {
      throw new IllegalArgumentException("invalid genai_cost config: " + issues.issues());
    }
    PriceTable table = priceTable(config);
    GenAiMetrics metrics =
        config.metrics().enabled()
            ? new GenAiMetrics(context.meterRegistry(), config.metrics().maxModels())
            : null;
    Set<String> truncationReasons = new HashSet<>(config.truncationFinishReasons());
    LOG.info(
        "{}: {} prices (bundled table as of {}), override={}",
        context.id(),
        table.size(),
        PriceFiles.bundled().asOf(),
        config.override());
    return new GenAiCostProcessor(table, config.override(), truncationReasons, metrics, next);
  }

  /** The user's entries (inline first, then the price file) ahead of the bundled table. */
  static PriceTable priceTable(GenAiCostConfig config) {
    List<ModelPrice> user = new ArrayList<>();
    for (PriceEntry e : config.prices()) {
      user.add(ModelPrice.compile(e, ModelPrice.SOURCE_USER, null));
    }
    if (!config.priceFile().isEmpty()) {
      PriceFile file;
      try {
        file = PriceFiles.read(Paths.get(config.priceFile()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read price_file " + config.priceFile(), e);
      }
      String asOf = file.asOf() == null || file.asOf().isBlank() ? null : file.asOf().trim();
      for (PriceEntry e : file.prices()) {
        user.add(ModelPrice.compile(e, ModelPrice.SOURCE_USER, asOf));
      }
    }
    PriceFile bundled = PriceFiles.bundled();
    List<ModelPrice> table =
        bundled.prices().stream()
            .map(e -> ModelPrice.compile(e, ModelPrice.SOURCE_TABLE, bundled.asOf().trim()))
            .toList();
    return new PriceTable(user, table);
  }
}
