package io.tollgate.processor.redaction;

import io.tollgate.core.component.ConfigIssues;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * The optional Presidio analyzer, for what regular expressions cannot find (names, places).
 *
 * @param analyzerEndpoint base URL of the analyzer, e.g. {@code http://localhost:5002}; empty turns
 *     Presidio off
 * @param language ISO-639-1 code sent with every request
 * @param entities entity types to ask for; empty asks for all that the analyzer supports
 * @param scoreThreshold findings below this score are dropped by the analyzer
 * @param allowList values the analyzer must not report (exact match)
 * @param timeout per request, and the longest a request may wait for a free slot
 * @param maxConcurrency requests in flight at once; the analyzer serves one at a time per worker
 * @param onError what happens to texts the analyzer could not scan
 * @param batch send all texts of a span batch in one request ({@code text: [...]}, Presidio 2.2.361
 *     and later); false sends one request per text
 * @param maxRequestChars longer texts are split into chunks of at most this many characters, and
 *     texts are grouped into requests up to this size (Presidio refuses 1,000,000)
 * @param cache results by text hash, so repeated system prompts cost one call
 * @param circuitBreaker stop calling an analyzer that keeps failing, for a while
 */
public record PresidioConfig(
    String analyzerEndpoint,
    String language,
    List<String> entities,
    double scoreThreshold,
    List<String> allowList,
    Duration timeout,
    int maxConcurrency,
    OnError onError,
    boolean batch,
    int maxRequestChars,
    CacheConfig cache,
    CircuitBreakerConfig circuitBreaker) {

  /** Presidio (spaCy) refuses texts of this many characters or more. */
  public static final int PRESIDIO_MAX_TEXT = 1_000_000;

  public PresidioConfig {
    if (analyzerEndpoint == null) {
      analyzerEndpoint = "";
    }
    if (language == null) {
      language = "en";
    }
    entities = entities == null ? List.of() : List.copyOf(entities);
    allowList = allowList == null ? List.of() : List.copyOf(allowList);
    if (timeout == null) {
      timeout = Duration.ofSeconds(2);
    }
    if (onError == null) {
      onError = OnError.FALLBACK;
    }
    if (cache == null) {
      cache = CacheConfig.defaults();
    }
    if (circuitBreaker == null) {
      circuitBreaker = CircuitBreakerConfig.defaults();
    }
  }

  public static PresidioConfig defaults() {
    return new PresidioConfig(
        "",
        "en",
        List.of(),
        0.5,
        List.of(),
        Duration.ofSeconds(2),
        4,
        OnError.FALLBACK,
        true,
        100_000,
        CacheConfig.defaults(),
        CircuitBreakerConfig.defaults());
  }

  /** A copy that talks to {@code endpoint}. */
  public PresidioConfig withEndpoint(String endpoint) {
    return new PresidioConfig(
        endpoint,
        language,
        entities,
        scoreThreshold,
        allowList,
        timeout,
        maxConcurrency,
        onError,
        batch,
        maxRequestChars,
        cache,
        circuitBreaker);
  }

  /** A copy with another {@code on_error}. */
  public PresidioConfig withOnError(OnError mode) {
    return new PresidioConfig(
        analyzerEndpoint,
        language,
        entities,
        scoreThreshold,
        allowList,
        timeout,
        maxConcurrency,
        mode,
        batch,
        maxRequestChars,
        cache,
        circuitBreaker);
  }

  public boolean enabled() {
    return !analyzerEndpoint.isBlank();
  }

  /** The {@code /analyze} URL; accepts the base URL or the full path. */
  public URI analyzeUri() {
    String base = analyzerEndpoint.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base.endsWith("/analyze") ? base : base + "/analyze");
  }

  /**
   * Result cache.
   *
   * @param maxEntries distinct texts remembered; 0 turns the cache off
   * @param ttl how long a result is kept (a redeployed analyzer may find more)
   */
  public record CacheConfig(long maxEntries, Duration ttl) {
    public CacheConfig {
      if (ttl == null) {
        ttl = Duration.ofHours(1);
      }
    }

    public static CacheConfig defaults() {
      return new CacheConfig(10_000, Duration.ofHours(1));
    }
  }

  /**
   * After {@code failure_threshold} failed requests in a row, Presidio is not called for {@code
   * open_duration}; then one request probes it. While open, {@code on_error} applies at once.
   */
  public record CircuitBreakerConfig(int failureThreshold, Duration openDuration) {
    public CircuitBreakerConfig {
      if (openDuration == null) {
        openDuration = Duration.ofSeconds(10);
      }
    }

    public static CircuitBreakerConfig defaults() {
      return new CircuitBreakerConfig(5, Duration.ofSeconds(10));
    }
  }

  void validate(ConfigIssues issues) {
    if (!enabled()) {
      return;
    }
    try {
      URI uri = new URI(analyzerEndpoint.trim());
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        issues.add(
            "analyzer_endpoint",
            "must be an http(s) URL such as http://localhost:5002 (http://presidio-analyzer:3000"
                + " in a cluster); got \""
                + analyzerEndpoint
                + "\"");
      }
    } catch (URISyntaxException e) {
      issues.add("analyzer_endpoint", "is not a URL: " + e.getMessage());
    }
    issues.require(
        language.matches("[a-z]{2}"),
        "language",
        "must be an ISO-639-1 code such as en; got \"" + language + "\"");
    for (int i = 0; i < entities.size(); i++) {
      String e = entities.get(i);
      issues.require(
          e != null && RedactionConfig.ENTITY_NAME.matcher(e).matches(),
          "entities[" + i + "]",
          "must be a Presidio entity type such as PERSON or LOCATION; got \"" + e + "\"");
    }
    issues.require(
        scoreThreshold >= 0 && scoreThreshold <= 1,
        "score_threshold",
        "must be between 0 and 1; got " + scoreThreshold);
    issues.require(
        !timeout.isNegative() && !timeout.isZero(),
        "timeout",
        "must be positive, e.g. 2s; got " + timeout);
    issues.require(
        maxConcurrency >= 1 && maxConcurrency <= 256,
        "max_concurrency",
        "must be between 1 and 256; got " + maxConcurrency);
    issues.require(
        maxRequestChars >= 1_000 && maxRequestChars < PRESIDIO_MAX_TEXT,
        "max_request_chars",
        "must be between 1000 and 999999 (Presidio refuses texts of 1,000,000 characters); got "
            + maxRequestChars);
    issues.require(
        cache.maxEntries() >= 0,
        "cache.max_entries",
        "must be 0 (no cache) or positive; got " + cache.maxEntries());
    issues.require(
        !cache.ttl().isNegative() && !cache.ttl().isZero(),
        "cache.ttl",
        "must be positive, e.g. 1h; got " + cache.ttl());
    issues.require(
        circuitBreaker.failureThreshold() >= 0,
        "circuit_breaker.failure_threshold",
        "must be 0 (never open) or positive; got " + circuitBreaker.failureThreshold());
    issues.require(
        !circuitBreaker.openDuration().isNegative() && !circuitBreaker.openDuration().isZero(),
        "circuit_breaker.open_duration",
        "must be positive, e.g. 10s; got " + circuitBreaker.openDuration());
  }
}
