package io.tollgate.collector.testing;

import io.tollgate.config.Components;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.ExtensionFactory;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Receiver;
import io.tollgate.core.component.ReceiverFactory;
import io.tollgate.core.component.Secret;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.extension.healthcheck.HealthCheckExtensionFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for the real receiver, batch processor and debug exporter (built elsewhere), with the
 * types the embedded default config names: {@code otlp}, {@code batch}, {@code debug}. Starting
 * the receiver and stopping the exporter can be held by tests.
 */
public final class TestComponents {

  public final Map<String, TestReceiver> receivers = new ConcurrentHashMap<>();
  public final Map<String, TestExporter> exporters = new ConcurrentHashMap<>();

  public volatile CountDownLatch holdReceiverStart = new CountDownLatch(0);
  public volatile CountDownLatch holdExporterShutdown = new CountDownLatch(0);

  /** The test factories plus the collector's own extensions. */
  public Components components(ExtensionFactory<?>... extensions) {
    List<io.tollgate.core.component.ComponentFactory<?>> all =
        new java.util.ArrayList<>(
            List.of(new ReceiverF(), new ProcessorF(), new ExporterF()));
    if (extensions.length == 0) {
      all.add(new HealthCheckExtensionFactory());
    } else {
      all.addAll(List.of(extensions));
    }
    return Components.of(all);
  }

  public record ReceiverConfig(Protocols protocols) implements ComponentConfig {}

  public record Protocols(Server grpc, Server http) {}

  public record Server(String endpoint) {}

  public record NoConfig() implements ComponentConfig {}

  public record ExporterConfig(String verbosity, Secret apiKey) implements ComponentConfig {}

  /** Pushes batches by hand. */
  public final class TestReceiver implements Receiver {
    private final TracesConsumer next;

    TestReceiver(TracesConsumer next) {
      this.next = next;
    }

    public CompletionStage<Void> push(TraceBatch batch) {
      return next.consume(batch);
    }

    @Override
    public void start() throws InterruptedException {
      if (!holdReceiverStart.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("start held too long");
      }
    }
  }

  /** Keeps what it gets. */
  public final class TestExporter implements Exporter {
    public final RecordingConsumer received = new RecordingConsumer();

    @Override
    public CompletionStage<Void> consume(TraceBatch batch) {
      return received.consume(batch);
    }

    @Override
    public void shutdown(Instant deadline) {
      try {
        holdExporterShutdown.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class ReceiverF implements ReceiverFactory<ReceiverConfig> {
    @Override
    public String type() {
      return "otlp";
    }

    @Override
    public Stability stability() {
      return Stability.STABLE;
    }

    @Override
    public String description() {
      return "test receiver";
    }

    @Override
    public Class<ReceiverConfig> configClass() {
      return ReceiverConfig.class;
    }

    @Override
    public ReceiverConfig defaultConfig() {
      return new ReceiverConfig(
          new Protocols(new Server("localhost:4317"), new Server("localhost:4318")));
    }

    @Override
    public Receiver create(ReceiverConfig config, ComponentContext context, TracesConsumer next) {
      TestReceiver r = new TestReceiver(next);
      receivers.put(context.id().toString(), r);
      return r;
    }
  }

  private static final class ProcessorF implements ProcessorFactory<NoConfig> {
    @Override
    public String type() {
      return "batch";
    }

    @Override
    public Stability stability() {
      return Stability.BETA;
    }

    @Override
    public Class<NoConfig> configClass() {
      return NoConfig.class;
    }

    @Override
    public NoConfig defaultConfig() {
      return new NoConfig();
    }

    @Override
    public Processor create(NoConfig config, ComponentContext context, TracesConsumer next) {
      return new Processor() {
        @Override
        public CompletionStage<Void> consume(TraceBatch batch) {
          return next.consume(batch);
        }

        @Override
        public boolean mutatesData() {
          return false;
        }
      };
    }
  }

  private final class ExporterF implements ExporterFactory<ExporterConfig> {
    @Override
    public String type() {
      return "debug";
    }

    @Override
    public List<String> aliases() {
      return List.of("logging");
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public String description() {
      return "test exporter";
    }

    @Override
    public Class<ExporterConfig> configClass() {
      return ExporterConfig.class;
    }

    @Override
    public ExporterConfig defaultConfig() {
      return new ExporterConfig("basic", Secret.of(""));
    }

    @Override
    public Exporter create(ExporterConfig config, ComponentContext context) {
      TestExporter e = new TestExporter();
      exporters.put(context.id().toString(), e);
      return e;
    }
  }
}
