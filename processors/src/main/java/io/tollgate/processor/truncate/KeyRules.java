package io.tollgate.processor.truncate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the config says about one attribute key: its limit, whether it is never cut, whether it
 * holds message JSON. Resolved once per distinct key and cached (up to a bound).
 */
final class KeyRules {

  /** The rule for one key. {@code limit} is meaningless when {@code never}. */
  record Rule(int limit, boolean never, boolean json) {}

  // Keys are few in practice; the bound protects against indexed keys (gen_ai.prompt.N.content).
  private static final int CACHE_SIZE = 10_000;
  // A power of two; only keys with long values are looked up, a few dozen in practice.
  private static final int RECENT_SLOTS = 64;

  private final int defaultLimit;
  private final List<KeyPattern> limits; // most specific first
  private final List<KeyPattern> never;
  private final List<KeyPattern> json;
  private final int smallestLimit;
  // Looked up for every long value of every span: a plain map read, no eviction bookkeeping. When
  // full it starts over, so a burst of one-off keys costs resolutions, never memory.
  private final ConcurrentHashMap<String, Rule> cache = new ConcurrentHashMap<>();
  // In front of the map: one entry per slot, by hash (see ruleFor).
  private final Recent[] recent = new Recent[RECENT_SLOTS];

  KeyRules(TruncateConfig config) {
    this.defaultLimit = config.maxLength();
    List<KeyPattern> l = new ArrayList<>();
    int smallest = config.maxLength();
    for (Map.Entry<String, Integer> e : config.keys().entrySet()) {
      l.add(KeyPattern.of(e.getKey(), e.getValue()));
      smallest = Math.min(smallest, e.getValue());
    }
    // Exact keys first, then globs by their literal length (the longer, the more specific); the
    // stable sort keeps the config's order among equals.
    l.sort(Comparator.comparingInt(KeyPattern::specificity).reversed());
    this.limits = List.copyOf(l);
    this.never = config.neverTruncate().stream().map(k -> KeyPattern.of(k, 0)).toList();
    this.json = config.jsonKeys().stream().map(k -> KeyPattern.of(k, 0)).toList();
    this.smallestLimit = smallest;
  }

  /** No key has a limit below this: a shorter string needs no lookup at all. */
  int smallestLimit() {
    return smallestLimit;
  }

  Rule ruleFor(String key) {
    // Keys are mostly the decoder's shared Strings (their hash computed once): a plain array slot
    // and an identity test find the rule, without the map's volatile reads and node chain. Equal
    // keys in other instances hit too (same hash, equals). The slots hold immutable entries, so a
    // racing write only ever shows a whole entry, or an older one.
    int h = key.hashCode();
    int slot = (h ^ (h >>> 16)) & (RECENT_SLOTS - 1);
    Recent r = recent[slot];
    if (r != null && (r.key() == key || (r.hash() == h && r.key().equals(key)))) {
      return r.rule();
    }
    Rule rule = cache.get(key);
    if (rule == null) {
      rule = resolve(key);
      if (cache.size() >= CACHE_SIZE) {
        cache.clear();
      }
      cache.putIfAbsent(key, rule);
    }
    recent[slot] = new Recent(key, h, rule);
    return rule;
  }

  /** A key and its rule, in front of the map. Final fields: safe to publish through a race. */
  private record Recent(String key, int hash, Rule rule) {}

  private Rule resolve(String key) {
    boolean isNever = never.stream().anyMatch(p -> p.matches(key));
    boolean isJson = json.stream().anyMatch(p -> p.matches(key));
    int limit = defaultLimit;
    for (KeyPattern p : limits) {
      if (p.matches(key)) {
        limit = p.limit();
        break;
      }
    }
    return new Rule(limit, isNever, isJson);
  }

  /** An exact key, or a glob where {@code *} matches any run of characters. */
  record KeyPattern(String key, Pattern glob, int limit) {

    static KeyPattern of(String key, int limit) {
      String k = key.trim();
      if (!k.contains("*")) {
        return new KeyPattern(k, null, limit);
      }
      StringBuilder regex = new StringBuilder();
      for (String part : k.split("\\*", -1)) {
        if (regex.length() > 0) {
          regex.append(".*");
        }
        regex.append(Pattern.quote(part));
      }
      return new KeyPattern(k, Pattern.compile(regex.toString()), limit);
    }

    boolean matches(String candidate) {
      return glob == null ? key.equals(candidate) : glob.matcher(candidate).matches();
    }

    /** Exact keys beat every glob; among globs, more literal characters win. */
    int specificity() {
      return glob == null ? Integer.MAX_VALUE : key.replace("*", "").length();
    }
  }
}
