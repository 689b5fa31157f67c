package io.tollgate.processor.genaicost;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the price of a model name.
 *
 * <p>User entries are tried before bundled ones, so a user's price always wins over the table's.
 * Within each group the most specific entry wins: an exact name beats a regular expression, and an
 * entry restricted to the span's provider beats one that is not; ties go to the entry listed
 * first. Results are cached per (provider, model), since a service calls few models many times.
 */
final class PriceTable {

  // Model names are few in practice; the bound only protects against a sender inventing names.
  static final int CACHE_SIZE = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(PriceTable.class);

  private final List<ModelPrice> entries;
  private final Cache<Key, Optional<ModelPrice>> cache;

  // A record rather than a concatenated string: hashing reuses the strings' cached hash codes.
  private record Key(String provider, String model) {}

  PriceTable(List<ModelPrice> userEntries, List<ModelPrice> bundledEntries) {
    List<ModelPrice> all = new ArrayList<>(userEntries.size() + bundledEntries.size());
    all.addAll(userEntries);
    all.addAll(bundledEntries);
    this.entries = List.copyOf(all);
    this.cache = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();
  }

  int size() {
    return entries.size();
  }

  /**
   * The price for {@code model} as called through {@code provider} (may be null or empty), or
   * empty when no entry matches.
   */
  Optional<ModelPrice> find(String model, String provider) {
    String p = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
    String m = model.trim();
    return cache.get(new Key(p, m), k -> lookup(k.model(), k.provider()));
  }

  private Optional<ModelPrice> lookup(String model, String provider) {
    ModelPrice price = match(model, provider);
    if (price == null) {
      // Once per name (the result is cached): tell the operator what to add.
      LOG.info(
          "No price for model \"{}\" (provider \"{}\"): its spans get no gen_ai.usage.cost;"
              + " add it under genai_cost prices or price_file",
          model,
          provider);
    }
    return Optional.ofNullable(price);
  }

  private ModelPrice match(String model, String provider) {
    ModelPrice best = null;
    int bestRank = Integer.MAX_VALUE;
    for (ModelPrice e : entries) {
      int rank = rank(e, model, provider);
      // User entries come first in the list: adding 4 to bundled ranks keeps every user match
      // ahead of every bundled one.
      if (rank >= 0 && ModelPrice.SOURCE_TABLE.equals(e.source())) {
        rank += 4;
      }
      if (rank >= 0 && rank < bestRank) {
        best = e;
        bestRank = rank;
      }
    }
    return best;
  }

  /** 0 (best) to 3, or -1 when the entry does not apply. */
  private static int rank(ModelPrice e, String model, String provider) {
    boolean providerMatch = false;
    if (e.provider() != null) {
      if (!provider.isEmpty() && !provider.equals(e.provider())) {
        return -1;
      }
      providerMatch = !provider.isEmpty();
    }
    int specificity;
    if (e.model().equalsIgnoreCase(model)) {
      specificity = 0;
    } else if (e.pattern() != null && e.pattern().matcher(model).matches()) {
      specificity = 2;
    } else {
      return -1;
    }
    return providerMatch ? specificity : specificity + 1;
  }
}
