package io.tollgate.config.testing;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Adds one attribute to every span; records each instance with its pipeline. */
public final class TagProcessorFactory implements ProcessorFactory<TagProcessorFactory.Config> {

  public record Config(String key, String value) implements ComponentConfig {
    /** A getter-like helper: Jackson serialises it, so the defaults carry a key to ignore. */
    public boolean isDefaultKey() {
      return key.equals("tagged.by");
    }

    @Override
    public void validate(ConfigIssues issues) {
      issues.require(!key.isEmpty(), "key", "must not be empty; name the attribute to set");
    }
  }

  private final String type;

  /** Every instance created, with its id and pipeline, in creation order. */
  public final List<TagProcessor> created = new CopyOnWriteArrayList<>();

  /** Shutdown calls, as "id@pipeline", in call order. */
  public final List<String> shutdowns = new CopyOnWriteArrayList<>();

  public TagProcessorFactory() {
    this("tag");
  }

  public TagProcessorFactory(String type) {
    this.type = type;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("tagged.by", type);
  }

  @Override
  public Processor create(Config config, ComponentContext context, TracesConsumer next) {
    TagProcessor p = new TagProcessor(config, context, next, shutdowns);
    created.add(p);
    return p;
  }

  /** Sets {@code key=value} on each span and passes the batch on. */
  public static final class TagProcessor implements Processor {
    public final Config config;
    public final ComponentContext context;
    private final TracesConsumer next;
    private final List<String> shutdowns;

    TagProcessor(
        Config config, ComponentContext context, TracesConsumer next, List<String> shutdowns) {
      this.config = config;
      this.context = context;
      this.next = next;
      this.shutdowns = shutdowns;
    }

    @Override
    public CompletionStage<Void> consume(TraceBatch batch) {
      batch.forEachSpan(s -> s.attributes().put(config.key(), config.value()));
      return next.consume(batch);
    }

    @Override
    public void shutdown(Instant deadline) {
      shutdowns.add(context.id() + "@" + context.pipeline());
    }
  }
}
