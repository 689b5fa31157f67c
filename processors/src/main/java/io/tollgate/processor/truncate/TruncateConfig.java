package io.tollgate.processor.truncate;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the {@code truncate} processor.
 *
 * @param maxLength the longest string value kept whole, in characters (Unicode code points), the
 *     suffix included
 * @param keys per-key limits that replace {@code maxLength}: exact keys or globs where {@code *}
 *     matches any run of characters ({@code gen_ai.*.messages})
 * @param neverTruncate keys (or globs) never cut, whatever their length
 * @param suffixFormat what replaces the cut part; {@code {n}} becomes the number of characters
 *     cut
 * @param jsonKeys keys holding GenAI message JSON: their text parts are shortened so that the
 *     JSON stays valid and fits the limit
 */
public record TruncateConfig(
    int maxLength,
    Map<String, Integer> keys,
    List<String> neverTruncate,
    String suffixFormat,
    List<String> jsonKeys)
    implements ComponentConfig {

  public static final int DEFAULT_MAX_LENGTH = 4096;
  public static final String DEFAULT_SUFFIX = "…[truncated {n} chars]";

  public TruncateConfig {
    keys = keys == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    neverTruncate = neverTruncate == null ? List.of() : List.copyOf(neverTruncate);
    suffixFormat = suffixFormat == null ? DEFAULT_SUFFIX : suffixFormat;
    jsonKeys = jsonKeys == null ? List.of() : List.copyOf(jsonKeys);
  }

  public static TruncateConfig defaults() {
    return new TruncateConfig(
        DEFAULT_MAX_LENGTH,
        Map.of(),
        List.of(
            "gen_ai.response.id",
            "gen_ai.conversation.id",
            "gen_ai.tool.call.id",
            "gen_ai.agent.id",
            "user.id",
            "session.id"),
        DEFAULT_SUFFIX,
        List.of(
            "gen_ai.input.messages",
            "gen_ai.output.messages",
            "gen_ai.system_instructions",
            "gen_ai.tool.definitions"));
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (maxLength < 1) {
      issues.add("max_length", "must be at least 1; got " + maxLength);
    }
    keys.forEach(
        (key, limit) -> {
          if (key == null || key.isBlank()) {
            issues.add("keys", "empty key; write an attribute key or a glob such as gen_ai.*");
          } else if (limit == null || limit < 1) {
            issues.at("keys").add(key, "must be at least 1; got " + limit);
          }
        });
    for (int i = 0; i < neverTruncate.size(); i++) {
      String key = neverTruncate.get(i);
      if (key == null || key.isBlank()) {
        issues.add("never_truncate[" + i + "]", "empty; remove it or name an attribute key");
      }
    }
    for (int i = 0; i < jsonKeys.size(); i++) {
      String key = jsonKeys.get(i);
      if (key == null || key.isBlank()) {
        issues.add("json_keys[" + i + "]", "empty; remove it or name an attribute key");
      }
    }
  }
}
