package io.tollgate.core.component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What a component gets from the collector besides its config: who it is, where to record
 * metrics, and the shared threads it may use. Components should not start thread pools of their
 * own for CPU work; they use {@link #workers()}.
 */
public final class ComponentContext {

  private final ComponentId id;
  private final ComponentKind kind;
  private final String pipeline;
  private final MeterRegistry meterRegistry;
  private final ScheduledExecutorService scheduler;
  private final Executor workers;
  private final BooleanSupplier pipelinesReady;

  private ComponentContext(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.kind = Objects.requireNonNull(b.kind, "kind");
    this.pipeline = b.pipeline;
    this.meterRegistry = Objects.requireNonNull(b.meterRegistry, "meterRegistry");
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.workers = Objects.requireNonNull(b.workers, "workers");
    this.pipelinesReady = b.pipelinesReady;
  }

  public static Builder builder(ComponentKind kind, ComponentId id) {
    return new Builder(kind, id);
  }

  public ComponentId id() {
    return id;
  }

  public ComponentKind kind() {
    return kind;
  }

  /** The pipeline a processor instance belongs to (e.g. {@code traces/genai}); "" otherwise. */
  public String pipeline() {
    return pipeline;
  }

  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** For timers: batch timeouts, decision ticks, retries. Never block on it. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** For CPU work off the network threads (decoding, processing). */
  public Executor workers() {
    return workers;
  }

  /** Whether every pipeline has started (used by the health check). */
  public boolean pipelinesReady() {
    return pipelinesReady.getAsBoolean();
  }

  /** A copy for another component, sharing the registry and threads. */
  public ComponentContext forComponent(ComponentKind kind, ComponentId id, String pipeline) {
    return new Builder(kind, id)
        .pipeline(pipeline)
        .meterRegistry(meterRegistry)
        .scheduler(scheduler)
        .workers(workers)
        .pipelinesReady(pipelinesReady)
        .build();
  }

  public static final class Builder {
    private final ComponentKind kind;
    private final ComponentId id;
    private String pipeline = "";
    private MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private ScheduledExecutorService scheduler;
    private Executor workers;
    private BooleanSupplier pipelinesReady = () -> true;

    private Builder(ComponentKind kind, ComponentId id) {
      this.kind = kind;
      this.id = id;
    }

    public Builder pipeline(String pipeline) {
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
      return this;
    }

    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public Builder workers(Executor workers) {
      this.workers = Objects.requireNonNull(workers, "workers");
      return this;
    }

    public Builder pipelinesReady(BooleanSupplier pipelinesReady) {
      this.pipelinesReady = Objects.requireNonNull(pipelinesReady, "pipelinesReady");
      return this;
    }

    public ComponentContext build() {
      if (scheduler == null) {
        scheduler = SharedThreads.scheduler();
      }
      if (workers == null) {
        workers = SharedThreads.workers();
      }
      return new ComponentContext(this);
    }
  }
}
