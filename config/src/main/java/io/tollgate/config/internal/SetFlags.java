package io.tollgate.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.core.component.ConfigIssues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --set key.path=value}: one key set from the command line, merged over the config files.
 *
 * <p>The path is dotted ({@code exporters.otlp/tempo.endpoint}; a {@code /} in a component id is
 * fine). Where a key itself contains dots, either write the path with the collector's internal
 * separator {@code ::} ({@code exporters::otlp/tempo.eu::endpoint}), or rely on matching: a dotted
 * path takes the longest key that already exists in the loaded files at each level, so {@code
 * exporters.otlp/tempo.eu.endpoint} finds the exporter {@code otlp/tempo.eu}. The value is read as
 * YAML, so {@code 2s} is a string, {@code 8} a number, {@code [a,b]} a list and an empty value
 * resets the key to its default.
 */
public final class SetFlags {

  private SetFlags() {}

  /** Applies one {@code --set} flag to {@code root}, or reports why it cannot. */
  public static void apply(ObjectNode root, String flag, ConfigIssues errors) {
    String where = "--set " + flag;
    int eq = flag.indexOf('=');
    if (eq <= 0) {
      errors.add(where + ": expected key.path=value, e.g. --set processors.batch.timeout=2s");
      return;
    }
    String key = flag.substring(0, eq).trim();
    String text = flag.substring(eq + 1);
    if (key.matches(".*\\[\\d*\\].*")) {
      // As in the OpenTelemetry Collector, --set addresses map keys only; without this the
      // "policies[4]" segment would be reported as an unknown key with a misleading suggestion.
      errors.add(
          where
              + ": --set cannot address a list element; set the whole list"
              + " (e.g. --set 'processors.tail_sampling.policies=[{name: all, type: always_sample}]')"
              + " or change it in a config file");
      return;
    }
    List<String> segments = split(key, root);
    if (segments.isEmpty() || segments.stream().anyMatch(String::isEmpty)) {
      errors.add(where + ": the key has an empty part; write e.g. exporters.otlp/tempo.endpoint");
      return;
    }
    JsonNode value;
    try {
      value = text.isEmpty() ? JsonNodeFactory.instance.nullNode() : YamlReader.read(text);
    } catch (YamlReader.YamlSyntaxException e) {
      // Not valid YAML on its own (e.g. "a: b: c"): take it as a plain string.
      value = JsonNodeFactory.instance.textNode(text);
    }
    ObjectNode overlay = JsonNodeFactory.instance.objectNode();
    ObjectNode cursor = overlay;
    for (int i = 0; i < segments.size() - 1; i++) {
      cursor = cursor.putObject(segments.get(i));
    }
    cursor.set(segments.get(segments.size() - 1), value);
    Trees.merge(root, overlay);
  }

  static List<String> split(String key, JsonNode existing) {
    if (key.contains("::")) {
      return Arrays.asList(key.split("::", -1));
    }
    String[] parts = key.split("\\.", -1);
    List<String> out = new ArrayList<>();
    JsonNode node = existing;
    int i = 0;
    while (i < parts.length) {
      // Longest run of parts that names an existing key here; else a single part.
      int take = 1;
      if (node != null && node.isObject()) {
        StringBuilder joined = new StringBuilder();
        for (int j = i; j < parts.length; j++) {
          if (j > i) {
            joined.append('.');
          }
          joined.append(parts[j]);
          if (j > i && node.has(joined.toString())) {
            take = j - i + 1;
          }
        }
      }
      String segment = String.join(".", Arrays.asList(parts).subList(i, i + take));
      out.add(segment);
      node = node == null ? null : node.get(segment);
      i += take;
    }
    return out;
  }
}
