package io.tollgate.processor.redaction.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tollgate.core.component.Durations;
import io.tollgate.processor.redaction.PresidioConfig;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presidio for a whole span batch: each distinct text once, long texts in chunks, cached results
 * from earlier batches reused, the rest in as few {@code /analyze} requests as the size limit
 * allows, at most {@code max_concurrency} at a time, behind a circuit breaker. Never blocks a
 * thread.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class PresidioAnalyzer {

  private static final Logger log = LoggerFactory.getLogger(PresidioAnalyzer.class);

  /** Requests that may wait for a free slot; beyond this, texts fall to {@code on_error}. */
  static final int MAX_QUEUED_REQUESTS = 1024;

  private final PresidioConfig config;
  private final PresidioClient client;
  private final AsyncLimiter limiter;
  private final CircuitBreaker breaker;
  private final Cache<TextKey, List<Finding>> cache;
  private final Map<PresidioException.Outcome, Counter> requests =
      new EnumMap<>(PresidioException.Outcome.class);
  private final Timer latency;
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Map<String, Boolean> loggedFailures = new ConcurrentHashMap<>();

  /**
   * @param componentTags the processor's {@code processor} and {@code pipeline} labels, put on
   *     every metric so that the same redaction id in two pipelines gives two series
   */
  public PresidioAnalyzer(
      PresidioConfig config,
      ScheduledExecutorService scheduler,
      Executor executor,
      MeterRegistry registry,
      Tags componentTags) {
    this(
        config,
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.timeout())
            .executor(executor)
            .build(),
        scheduler,
        registry,
        componentTags);
  }

  PresidioAnalyzer(
      PresidioConfig config,
      HttpClient http,
      ScheduledExecutorService scheduler,
      MeterRegistry registry,
      Tags componentTags) {
    this.config = config;
    this.client = new PresidioClient(http, config);
    this.limiter = new AsyncLimiter(config.maxConcurrency(), MAX_QUEUED_REQUESTS, scheduler);
    this.breaker =
        new CircuitBreaker(
            config.circuitBreaker().failureThreshold(),
            config.circuitBreaker().openDuration(),
            System::nanoTime);
    this.cache =
        config.cache().maxEntries() == 0
            ? null
            : Caffeine.newBuilder()
                .maximumSize(config.cache().maxEntries())
                .expireAfterWrite(config.cache().ttl())
                .build();
    for (PresidioException.Outcome o : PresidioException.Outcome.values()) {
      requests.put(
          o,
          Counter.builder("tollgate_redaction_presidio_requests")
              .description("Presidio /analyze requests, by outcome.")
              .tags(componentTags)
              .tag("outcome", o.label())
              .register(registry));
    }
    this.latency =
        Timer.builder("tollgate_redaction_presidio_latency")
            .description("Time from sending a Presidio /analyze request to its answer.")
            .tags(componentTags)
            .publishPercentileHistogram()
            .register(registry);
    this.cacheHits = cacheCounter(registry, componentTags, "hit");
    this.cacheMisses = cacheCounter(registry, componentTags, "miss");
    Gauge.builder(
            "tollgate_redaction_presidio_circuit_open",
            breaker,
            b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1)
        .description("1 while Presidio is not called after repeated failures.")
        .tags(componentTags)
        .register(registry);
    Gauge.builder("tollgate_redaction_presidio_in_flight", limiter, AsyncLimiter::inFlight)
        .description("Presidio requests in flight.")
        .tags(componentTags)
        .register(registry);
  }

  private static Counter cacheCounter(MeterRegistry registry, Tags componentTags, String result) {
    return Counter.builder("tollgate_redaction_presidio_cache")
        .description("Presidio result cache lookups, by result.")
        .tags(componentTags)
        .tag("result", result)
        .register(registry);
  }

  /** One chunk of one text, as sent to Presidio. */
  private static final class Chunk {
    final TextKey key;
    final int offset;

    Chunk(TextKey key, int offset) {
      this.key = key;
      this.offset = offset;
    }
  }

  /**
   * Findings per text, in UTF-16 offsets of that text. A text missing from the result could not be
   * analysed (Presidio down, slow, refusing, or the breaker open); the caller applies {@code
   * on_error} to it. The stage never fails.
   */
  public CompletableFuture<Map<String, List<Finding>>> analyze(Collection<String> texts) {
    Map<String, List<Chunk>> chunksByText = new LinkedHashMap<>();
    Map<TextKey, List<Finding>> known = new HashMap<>();
    Map<TextKey, String> pending = new LinkedHashMap<>();
    for (String text : texts) {
      List<Chunk> chunks = new ArrayList<>(1);
      for (int[] r : Chunker.chunks(text, config.maxRequestChars())) {
        String part = r[0] == 0 && r[1] == text.length() ? text : text.substring(r[0], r[1]);
        TextKey key = TextKey.of(part);
        chunks.add(new Chunk(key, r[0]));
        if (known.containsKey(key) || pending.containsKey(key)) {
          continue;
        }
        List<Finding> hit = cache == null ? null : cache.getIfPresent(key);
        if (hit != null) {
          cacheHits.increment();
          known.put(key, hit);
        } else {
          if (cache != null) {
            cacheMisses.increment();
          }
          pending.put(key, part);
        }
      }
      chunksByText.put(text, chunks);
    }
    if (pending.isEmpty()) {
      return CompletableFuture.completedFuture(assemble(chunksByText, known));
    }
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    Map<TextKey, List<Finding>> fresh = new ConcurrentHashMap<>();
    for (List<Map.Entry<TextKey, String>> group : requests(pending)) {
      List<String> batchTexts = new ArrayList<>(group.size());
      for (Map.Entry<TextKey, String> e : group) {
        batchTexts.add(e.getValue());
      }
      calls.add(
          call(batchTexts)
              .handle(
                  (results, error) -> {
                    if (error == null) {
                      for (int i = 0; i < group.size(); i++) {
                        TextKey key = group.get(i).getKey();
                        List<Finding> found = List.copyOf(results.get(i));
                        fresh.put(key, found);
                        if (cache != null) {
                          cache.put(key, found);
                        }
                      }
                    }
                    return null;
                  }));
    }
    return CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              known.putAll(fresh);
              return assemble(chunksByText, known);
            });
  }

  /**
   * Groups texts into requests of at most {@code max_request_chars} (one text when not batching).
   */
  private List<List<Map.Entry<TextKey, String>>> requests(Map<TextKey, String> pending) {
    List<List<Map.Entry<TextKey, String>>> out = new ArrayList<>();
    List<Map.Entry<TextKey, String>> current = new ArrayList<>();
    long chars = 0;
    for (Map.Entry<TextKey, String> e : pending.entrySet()) {
      int len = e.getValue().length();
      if (!current.isEmpty() && (!config.batch() || chars + len > config.maxRequestChars())) {
        out.add(current);
        current = new ArrayList<>();
        chars = 0;
      }
      current.add(e);
      chars += len;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private CompletableFuture<List<List<Finding>>> call(List<String> texts) {
    return limiter
        .submit(
            () -> {
              if (!breaker.tryAcquire()) {
                return CompletableFuture.failedFuture(
                    new PresidioException(
                        PresidioException.Outcome.CIRCUIT_OPEN,
                        "Presidio circuit open after repeated failures"));
              }
              long start = System.nanoTime();
              CompletableFuture<List<List<Finding>>> f;
              try {
                f = client.analyze(texts);
              } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
              }
              return f.whenComplete(
                  (ok, error) -> {
                    latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    if (error == null) {
                      if (breaker.onSuccess()) {
                        log.info("Presidio analyzer at {} answers again", config.analyzeUri());
                      }
                    } else if (breaker.onFailure()) {
                      log.warn(
                          "Presidio analyzer at {} failed {} times in a row; not calling it for {}"
                              + " (on_error: {} applies meanwhile)",
                          config.analyzeUri(),
                          config.circuitBreaker().failureThreshold(),
                          Durations.format(config.circuitBreaker().openDuration()),
                          config.onError().configName());
                    }
                  });
            },
            config.timeout())
        .whenComplete(
            (ok, error) -> {
              PresidioException.Outcome outcome =
                  error == null ? PresidioException.Outcome.SUCCESS : outcomeOf(error);
              requests.get(outcome).increment();
              if (error != null) {
                logFailure(outcome, error);
              }
            });
  }

  private static PresidioException.Outcome outcomeOf(Throwable error) {
    Throwable t =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return t instanceof PresidioException
        ? ((PresidioException) t).outcome()
        : PresidioException.Outcome.UNREACHABLE;
  }

  /** First failure of each kind at warn, the rest at debug: a dead analyzer must not flood logs. */
  private void logFailure(PresidioException.Outcome outcome, Throwable error) {
    Throwable t =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (outcome != PresidioException.Outcome.CIRCUIT_OPEN
        && loggedFailures.putIfAbsent(outcome.label(), Boolean.TRUE) == null) {
      log.warn(
          "Presidio request failed ({}): {}; on_error: {} applies (further failures of this kind"
              + " are logged at debug)",
          outcome.label(),
          t.getMessage(),
          config.onError().configName());
    } else {
      log.debug("Presidio request failed ({}): {}", outcome.label(), t.getMessage());
    }
  }

  private static Map<String, List<Finding>> assemble(
      Map<String, List<Chunk>> chunksByText, Map<TextKey, List<Finding>> known) {
    Map<String, List<Finding>> out = new HashMap<>(chunksByText.size() * 2);
    for (Map.Entry<String, List<Chunk>> e : chunksByText.entrySet()) {
      List<Chunk> chunks = e.getValue();
      if (chunks.size() == 1) {
        List<Finding> found = known.get(chunks.get(0).key);
        if (found != null) {
          out.put(e.getKey(), found);
        }
        continue;
      }
      List<Finding> merged = new ArrayList<>();
      boolean complete = true;
      for (Chunk c : chunks) {
        List<Finding> found = known.get(c.key);
        if (found == null) {
          complete = false;
          break;
        }
        for (Finding f : found) {
          merged.add(f.shift(c.offset));
        }
      }
      if (complete) {
        out.put(e.getKey(), merged);
      }
    }
    return out;
  }

  /** Requests running now (for shutdown). */
  public int inFlight() {
    return limiter.inFlight() + limiter.queued();
  }

  public CircuitBreaker.State circuitState() {
    return breaker.state();
  }
}
