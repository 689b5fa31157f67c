package io.tollgate.processor.genaicost;

import java.math.BigDecimal;

/**
 * Token counts of one call, with the OpenTelemetry meaning: {@code input} includes the cache
 * reads and writes, {@code output} includes reasoning.
 */
record TokenUsage(long input, long output, long cacheRead, long cacheCreation, long reasoning) {

  private static final int MICRO = 6;

  /** Whether every count is usable (none negative). */
  boolean valid() {
    return input >= 0 && output >= 0 && cacheRead >= 0 && cacheCreation >= 0 && reasoning >= 0;
  }

  /**
   * Input tokens neither read from nor written to a cache. When the cache counts exceed the
   * input, the sender counted input <em>without</em> cache (Anthropic's raw API does); the whole
   * input is then uncached.
   */
  long uncachedInput() {
    long cached = cacheRead + cacheCreation;
    return cached <= input ? input - cached : input;
  }

  /** The prompt size that selects a long-context tier: every input token, cached or not. */
  long promptTokens() {
    return uncachedInput() + cacheRead + cacheCreation;
  }

  /**
   * Output tokens to bill. Reasoning is part of output; only when it exceeds the output did the
   * sender count output without it (Gemini's raw API does), and then both are billed.
   */
  long billedOutput() {
    return reasoning > output ? output + reasoning : output;
  }

  /**
   * The cost in USD, exactly: {@code (uncached × input + read × cache_read + creation ×
   * cache_write + output × output) / 1e6}.
   */
  BigDecimal cost(ModelPrice price) {
    ModelPrice.Rates r = price.ratesFor(promptTokens());
    BigDecimal perMillion =
        r.input()
            .multiply(BigDecimal.valueOf(uncachedInput()))
            .add(r.cacheRead().multiply(BigDecimal.valueOf(cacheRead)))
            .add(r.cacheWrite().multiply(BigDecimal.valueOf(cacheCreation)))
            .add(r.output().multiply(BigDecimal.valueOf(billedOutput())));
    return perMillion.movePointLeft(MICRO);
  }
}
