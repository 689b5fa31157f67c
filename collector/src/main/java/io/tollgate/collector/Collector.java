package io.tollgate.collector;

import io.tollgate.config.CollectorConfig;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ServiceAssembler;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.Durations;
import io.tollgate.core.pipeline.Service;
import io.tollgate.extension.healthcheck.HealthCheckExtensionFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running collector: self-telemetry, the shared threads and the service built from a config.
 * {@link #start} returns once every pipeline runs; {@link #shutdown} drains and stops it (the
 * {@code run} command calls it from a JVM shutdown hook, on SIGTERM or SIGINT).
 */
public final class Collector {

  private static final Logger log = LoggerFactory.getLogger(Collector.class);

  private final Service service;
  private final SelfTelemetry telemetry;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ForkJoinPool workers;
  private final Duration shutdownTimeout;
  private final Duration shutdownDelay;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean shutDown;

  private Collector(
      Service service,
      SelfTelemetry telemetry,
      ScheduledThreadPoolExecutor scheduler,
      ForkJoinPool workers,
      Duration shutdownTimeout,
      Duration shutdownDelay) {
    this.service = service;
    this.telemetry = telemetry;
    this.scheduler = scheduler;
    this.workers = workers;
    this.shutdownTimeout = shutdownTimeout;
    this.shutdownDelay = shutdownDelay;
  }

  /**
   * Builds and starts everything the config describes.
   *
   * @throws ConfigException when a component refuses its config
   * @throws Exception when something cannot start (a port in use); what had started is stopped
   */
  public static Collector start(CollectorConfig config) throws Exception {
    Collector collector = create(config);
    collector.begin();
    return collector;
  }

  /**
   * Builds everything (self-telemetry, threads, components) without starting the pipelines, so that
   * a shutdown hook can be in place before anything listens.
   *
   * @throws ConfigException when a component refuses its config
   */
  static Collector create(CollectorConfig config) throws Exception {
    Logging.apply(config.service().telemetry().logs());
    log.info("Tollgate {} starting", Version.get());
    // The JVM metrics and the metrics endpoint start on a thread of their own while the
    // components are created (SelfTelemetry.startConcurrently says why).
    SelfTelemetry.Starting starting =
        SelfTelemetry.startConcurrently(config.service().telemetry().metrics());
    ScheduledThreadPoolExecutor scheduler = newScheduler();
    ForkJoinPool workers = newWorkers();
    SelfTelemetry telemetry = null;
    try {
      ServiceAssembler.Assembly assembly;
      try {
        assembly =
            ServiceAssembler.assemble(
                config, new ServiceAssembler.Resources(starting.registry(), scheduler, workers));
      } catch (Exception | Error e) {
        // Release what the metrics thread started; should it have failed too, its failure rides
        // along with the one reported.
        Throwable metricsFailure = starting.abandon();
        if (metricsFailure != null) {
          e.addSuppressed(metricsFailure);
        }
        throw e;
      }
      telemetry = starting.await();
      for (String pipeline : assembly.pipelines()) {
        log.info("Pipeline {}", pipeline);
      }
      for (String listening : assembly.listening()) {
        log.info("Listening: {}", listening);
      }
      telemetry
          .address()
          .ifPresentOrElse(
              a -> log.info("Self-metrics: http://{}/metrics", a),
              () -> log.info("Self-metrics are off (service.telemetry.metrics.level: none)"));
      return new Collector(
          assembly.service(),
          telemetry,
          scheduler,
          workers,
          config.service().shutdownTimeout(),
          notReadyWindow(config));
    } catch (Exception | Error e) {
      scheduler.shutdownNow();
      workers.shutdownNow();
      if (telemetry != null) {
        telemetry.close();
      }
      throw e;
    }
  }

  /**
   * Starts the pipelines. A {@link #shutdown} that arrives meanwhile (SIGTERM during start) waits
   * for the start to finish and then stops everything; one that came before means nothing starts.
   *
   * @throws Exception when a component cannot start; everything is released then
   */
  synchronized void begin() throws Exception {
    if (shutDown) {
      return;
    }
    try {
      service.start();
    } catch (Exception | Error e) {
      // The service stopped what had started; release the rest and let the hook do nothing.
      shutDown = true;
      releaseResources();
      throw e;
    }
  }

  public Service service() {
    return service;
  }

  /** Where {@code /metrics} is served, if metrics are on. */
  public Optional<InetSocketAddress> metricsAddress() {
    return telemetry.boundAddress();
  }

  /**
   * How long a shutdown reports not ready before the receivers close: {@code
   * service.shutdown_delay} (at most half of {@code shutdown_timeout}) when a {@code health_check}
   * extension runs; without one nobody can see the 503, and waiting would only slow the stop.
   */
  private static Duration notReadyWindow(CollectorConfig config) {
    boolean healthChecked =
        config.service().extensions().stream()
            .anyMatch(id -> ComponentId.parse(id).type().equals(HealthCheckExtensionFactory.TYPE));
    return healthChecked ? config.service().effectiveShutdownDelay() : Duration.ZERO;
  }

  /**
   * Withdraws readiness (the health endpoint answers 503) and waits {@code service.shutdown_delay}
   * while the receivers still accept, so that load balancers stop sending before the ports close;
   * then stops receiving, flushes processors and drains exporters, all within {@code
   * service.shutdown_timeout}, and stops telemetry and threads. Components log what they could not
   * deliver. Idempotent.
   */
  public synchronized void shutdown() {
    if (shutDown) {
      return;
    }
    shutDown = true;
    boolean interrupted = false;
    try {
      Instant deadline = Instant.now().plus(shutdownTimeout);
      if (!shutdownDelay.isZero() && service.isReady()) {
        service.withdrawReadiness();
        log.info(
            "Shutting down: health answers 503 for {} while receivers still accept, then draining",
            Durations.format(shutdownDelay));
        try {
          Thread.sleep(shutdownDelay.toMillis());
        } catch (InterruptedException e) {
          // Stop waiting and drain now; the flag is set again afterwards, not before: the
          // components' drains wait, and a set flag would cut every one of them short.
          interrupted = true;
        }
      }
      // Whole milliseconds: the drain's log line says how long it may take, "7999ms" rather
      // than "7999283779ns".
      service.shutdown(
          Duration.between(Instant.now(), deadline)
              .truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    } finally {
      releaseResources();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void releaseResources() {
    try {
      telemetry.close();
      scheduler.shutdownNow();
      workers.shutdown();
      try {
        if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
          workers.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      stopped.countDown();
    }
  }

  /** Blocks until {@link #shutdown} has finished. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  private static ScheduledThreadPoolExecutor newScheduler() {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "tollgate-timer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  /** CPU work off the network threads: one worker per core, FIFO (asyncMode) for fairness. */
  private static ForkJoinPool newWorkers() {
    AtomicInteger n = new AtomicInteger();
    return new ForkJoinPool(
        Runtime.getRuntime().availableProcessors(),
        pool -> {
          ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
          t.setName("tollgate-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        (t, e) -> log.error("uncaught error on {}", t.getName(), e),
        true);
  }
}
