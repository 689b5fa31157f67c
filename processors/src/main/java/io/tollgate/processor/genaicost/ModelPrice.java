package io.tollgate.processor.genaicost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A price entry ready to match and compute with.
 *
 * @param source {@code table} for the bundled table, {@code user} for the user's entries
 * @param asOf the date of the table the entry comes from, or null when unknown
 */
record ModelPrice(
    String model,
    String provider,
    Pattern pattern,
    Rates base,
    List<TierRates> tiers,
    String source,
    String asOf) {

  static final String SOURCE_TABLE = "table";
  static final String SOURCE_USER = "user";

  /** USD per 1M tokens; cache prices already resolved (absent: the input price). */
  record Rates(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {}

  record TierRates(long aboveInputTokens, Rates rates) {}

  static ModelPrice compile(PriceEntry e, String source, String asOf) {
    Rates base =
        new Rates(
            e.input(),
            e.output(),
            Optional.ofNullable(e.cacheRead()).orElse(e.input()),
            Optional.ofNullable(e.cacheWrite()).orElse(e.input()));
    List<TierRates> tiers =
        e.tiers().stream()
            .map(
                t -> {
                  BigDecimal in = Optional.ofNullable(t.input()).orElse(base.input());
                  return new TierRates(
                      t.aboveInputTokens(),
                      new Rates(
                          in,
                          Optional.ofNullable(t.output()).orElse(base.output()),
                          Optional.ofNullable(t.cacheRead()).orElse(base.cacheRead()),
                          Optional.ofNullable(t.cacheWrite()).orElse(base.cacheWrite())));
                })
            .toList();
    Pattern pattern =
        e.match() == null
            ? null
            : Pattern.compile(e.match(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    String provider =
        e.provider() == null || e.provider().isBlank()
            ? null
            : e.provider().trim().toLowerCase(Locale.ROOT);
    return new ModelPrice(e.model().trim(), provider, pattern, base, tiers, source, asOf);
  }

  /** The rates for a call whose prompt has {@code promptTokens} tokens, cached ones included. */
  Rates ratesFor(long promptTokens) {
    Rates rates = base;
    for (TierRates tier : tiers) {
      if (promptTokens > tier.aboveInputTokens()) {
        rates = tier.rates();
      }
    }
    return rates;
  }
}
