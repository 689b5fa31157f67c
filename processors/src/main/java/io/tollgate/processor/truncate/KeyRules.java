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

  private final int defaultLimit;
  private final List<KeyPattern> limits; // most specific first
  private final List<KeyPattern> never;
  private final List<KeyPattern> json;
  private final int smallestLimit;
  // Looked up for every long value of every span: a plain map read, no eviction bookkeeping. When
  // full it starts over, so a burst of one-off keys costs resolutions, never memory.
  private final ConcurrentHashMap<String, Rule> cache = new ConcurrentHashMap<>();

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
    Rule rule = cache.get(key);
    if (rule == null) {
      rule = resolve(key);
      if (cache.size() >= CACHE_SIZE) {
        cache.clear();
      }
      cache.putIfAbsent(key, rule);
    }
    return rule;
  }

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
