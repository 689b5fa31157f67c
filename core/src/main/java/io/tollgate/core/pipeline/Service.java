package io.tollgate.core.pipeline;

import io.tollgate.core.component.Component;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector: every component, started in data-flow order from the back (exporters,
 * then processors, then receivers, so nothing is sent into a component that is not ready) and
 * stopped from the front (receivers first, so that what is in flight can drain).
 */
public final class Service {

  private static final Logger log = LoggerFactory.getLogger(Service.class);

  /** A component with the id it was configured under, for logs. */
  public record Named(String id, Component component) {
    public Named {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(component, "component");
    }
  }

  private final List<Named> extensions;
  private final List<Named> exporters;
  private final List<Named> processors;
  private final List<Named> receivers;
  private final List<String> pipelineIds;
  private volatile boolean ready;
  private volatile boolean withdrawn;
  private volatile boolean stopped;

  public Service(
      List<Named> extensions,
      List<Named> exporters,
      List<Named> processors,
      List<Named> receivers,
      List<String> pipelineIds) {
    this.extensions = List.copyOf(extensions);
    this.exporters = List.copyOf(exporters);
    this.processors = List.copyOf(processors);
    this.receivers = List.copyOf(receivers);
    this.pipelineIds = List.copyOf(pipelineIds);
  }

  /** Starts everything; on failure stops what had started and rethrows. */
  public void start() throws Exception {
    List<Named> started = new ArrayList<>();
    try {
      for (List<Named> group : List.of(extensions, exporters, processors, receivers)) {
        for (Named n : group) {
          n.component().start();
          started.add(n);
        }
      }
    } catch (Exception e) {
      log.error("could not start: {}", e.getMessage());
      Instant deadline = Instant.now().plusSeconds(5);
      for (int i = started.size() - 1; i >= 0; i--) {
        shutdownQuietly(started.get(i), deadline);
      }
      throw e;
    }
    ready = true;
    log.info("Everything is ready. Pipelines: {}", pipelineIds);
  }

  /**
   * True once every pipeline has started, until shutdown begins or readiness is {@linkplain
   * #withdrawReadiness withdrawn}.
   */
  public boolean isReady() {
    return ready && !withdrawn && !stopped;
  }

  /**
   * Reports not ready from now on while everything keeps running: the first step of a graceful
   * shutdown, so that load balancers that watch the health endpoint stop sending before the
   * receivers close. Cannot be undone; {@link #shutdown} follows.
   */
  public void withdrawReadiness() {
    withdrawn = true;
  }

  public List<String> pipelineIds() {
    return pipelineIds;
  }

  /**
   * Stops receivers, flushes processors and drains exporters, all within {@code timeout}.
   * Idempotent.
   */
  public synchronized void shutdown(Duration timeout) {
    if (stopped) {
      return;
    }
    stopped = true;
    Instant deadline = Instant.now().plus(timeout);
    log.info(
        "Shutting down; draining for at most {}",
        io.tollgate.core.component.Durations.format(timeout));
    for (List<Named> group : List.of(receivers, processors, exporters, extensions)) {
      for (Named n : group) {
        shutdownQuietly(n, deadline);
      }
    }
    log.info("Shutdown complete");
  }

  private static void shutdownQuietly(Named n, Instant deadline) {
    try {
      n.component().shutdown(deadline);
    } catch (RuntimeException e) {
      log.warn("{} did not shut down cleanly: {}", n.id(), e.toString());
    }
  }
}
