package io.tollgate.config.testing;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Receiver;
import io.tollgate.core.component.ReceiverFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A receiver of type {@code otlp} that tests drive by hand: {@code push(batch)}. */
public final class FakeReceiverFactory implements ReceiverFactory<FakeReceiverFactory.Config> {

  /** Settings shaped like the OTLP receiver's. */
  public record Config(Protocols protocols) implements ComponentConfig {
    @Override
    public void validate(ConfigIssues issues) {
      if (protocols.grpc() == null && protocols.http() == null) {
        issues.add("protocols", "enable at least one protocol: grpc or http");
      }
    }
  }

  public record Protocols(Server grpc, Server http) {}

  public record Server(String endpoint) {}

  /** The receivers created, by id. */
  public final Map<String, FakeReceiver> created = new ConcurrentHashMap<>();

  private final String type;

  public FakeReceiverFactory() {
    this("otlp");
  }

  public FakeReceiverFactory(String type) {
    this.type = type;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public Stability stability() {
    return Stability.STABLE;
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(
        new Protocols(new Server("localhost:4317"), new Server("localhost:4318")));
  }

  @Override
  public String description() {
    return "a receiver driven by tests";
  }

  @Override
  public Receiver create(Config config, ComponentContext context, TracesConsumer next) {
    FakeReceiver r = new FakeReceiver(config, context, next);
    created.put(context.id().toString(), r);
    return r;
  }

  /** Hands batches to the pipelines as a real receiver would. */
  public static final class FakeReceiver implements Receiver {
    public final Config config;
    public final ComponentContext context;
    private final TracesConsumer next;
    public volatile boolean started;
    public volatile boolean stopped;

    FakeReceiver(Config config, ComponentContext context, TracesConsumer next) {
      this.config = config;
      this.context = context;
      this.next = next;
    }

    public CompletionStage<Void> push(TraceBatch batch) {
      return next.consume(batch);
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
