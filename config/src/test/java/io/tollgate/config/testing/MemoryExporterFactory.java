package io.tollgate.config.testing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Secret;
import io.tollgate.core.component.Stability;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RecordingConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exporter that keeps what it gets, with a config shaped like the OTLP exporters' (every kind
 * of value the loader must handle). Its type and aliases are chosen by the test.
 */
public class MemoryExporterFactory implements ExporterFactory<MemoryExporterFactory.Config> {

  public enum Compression {
    GZIP,
    ZSTD,
    NONE;

    @JsonValue
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Compression of(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  public record Retry(
      boolean enabled,
      Duration initialInterval,
      Duration maxInterval,
      Duration maxElapsedTime,
      double multiplier) {}

  public record Queue(boolean enabled, int numConsumers, int queueSize, ByteSize maxBytes) {}

  public record Config(
      String endpoint,
      Secret apiKey,
      Map<String, String> headers,
      Duration timeout,
      Compression compression,
      Retry retryOnFailure,
      Queue sendingQueue,
      List<String> tags)
      implements ComponentConfig {
    @Override
    public void validate(ConfigIssues issues) {
      issues.require(
          !endpoint.isEmpty(), "endpoint", "must be set: the backend's address, e.g. tempo:4317");
      issues
          .at("retry_on_failure")
          .require(retryOnFailure.multiplier() >= 1, "multiplier", "must be at least 1");
    }
  }

  private final String type;
  private final List<String> aliases;

  /** The exporters created, by id. */
  public final Map<String, MemoryExporter> created = new ConcurrentHashMap<>();

  public MemoryExporterFactory(String type, String... aliases) {
    this.type = type;
    this.aliases = List.of(aliases);
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public List<String> aliases() {
    return aliases;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public String description() {
    return "keeps spans in memory";
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(
        "",
        Secret.of(""),
        Map.of(),
        Duration.ofSeconds(5),
        Compression.GZIP,
        new Retry(true, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5), 1.5),
        new Queue(true, 10, 1000, ByteSize.ofMiB(64)),
        List.of());
  }

  @Override
  public Exporter create(Config config, ComponentContext context) {
    MemoryExporter e = new MemoryExporter(config, context);
    created.put(context.id().toString(), e);
    return e;
  }

  /** Records batches; never changes them. */
  public static final class MemoryExporter implements Exporter {
    public final Config config;
    public final ComponentContext context;
    public final RecordingConsumer received = new RecordingConsumer();
    public volatile boolean started;
    public volatile boolean stopped;

    MemoryExporter(Config config, ComponentContext context) {
      this.config = config;
      this.context = context;
    }

    @Override
    public CompletionStage<Void> consume(TraceBatch batch) {
      return received.consume(batch);
    }

    @Override
    public void start() {
      started = true;
    }

    @Override
    public void shutdown(Instant deadline) {
      stopped = true;
    }
  }
}
