package io.tollgate.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Small operations on config trees. */
public final class Trees {

  private static final int MAX_RENDERED = 60;

  private Trees() {}

  /**
   * Merges {@code overlay} into {@code base} the way the collector merges config files: maps are
   * merged key by key, everything else (lists, scalars) is replaced by the overlay's value. A
   * {@code null} in the overlay replaces too, so a later file or {@code --set key=} can reset a key
   * to its default.
   */
  public static void merge(ObjectNode base, JsonNode overlay) {
    if (overlay == null || !overlay.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : overlay.properties()) {
      JsonNode existing = base.get(e.getKey());
      JsonNode value = e.getValue();
      if (existing != null && existing.isObject() && value.isObject()) {
        merge((ObjectNode) existing, value);
      } else {
        base.set(e.getKey(), value.deepCopy());
      }
    }
  }

  /**
   * Merges the user's settings over a component's defaults. Unlike {@link #merge}, a {@code null}
   * (an empty value in YAML) keeps the default: {@code timeout:} means "the default timeout", as
   * {@code batch:} means "batch with its defaults". Records therefore never see a null the user
   * did not get from the component itself.
   */
  public static void mergeOverDefaults(ObjectNode defaults, JsonNode user) {
    if (user == null || !user.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : user.properties()) {
      JsonNode existing = defaults.get(e.getKey());
      JsonNode value = e.getValue();
      if (value.isNull() && existing != null) {
        continue;
      }
      if (existing != null && existing.isObject() && value.isObject()) {
        mergeOverDefaults((ObjectNode) existing, value);
      } else {
        defaults.set(e.getKey(), value.deepCopy());
      }
    }
  }

  /** {@code parent.child}, or {@code child} at the root. */
  public static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "." + child;
  }

  /** A value as it appears in an error message: compact JSON, cut at 60 characters. */
  public static String render(JsonNode node) {
    String s = node.toString();
    if (s.length() > MAX_RENDERED) {
      s = s.substring(0, MAX_RENDERED - 1) + "…";
    }
    return s;
  }

  /** A value described by its kind only, for values that may be secret. */
  public static String describeKind(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a map";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    return "a string (value hidden)";
  }
}
