package io.tollgate.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tollgate.core.component.ConfigIssues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands environment references in every string value of a config tree, with the collector's
 * rules:
 *
 * <ul>
 *   <li>{@code ${env:NAME}} and its short form {@code ${NAME}} (the collector's distributions set
 *       {@code env} as the default scheme);
 *   <li>{@code ${env:NAME:-default}}: the default is used when the variable is <em>unset</em> (an
 *       empty variable stays empty, as in the collector);
 *   <li>{@code ${env:NAME:?message}} (ours, from the shell; the collector has no such form): the
 *       variable is required, and an unset or empty one is an error that says {@code message};
 *   <li>{@code $$} is a literal {@code $} (so {@code $${env:X}} stays {@code ${env:X}});
 *   <li>an unset variable without default expands to "" and is reported as a warning;
 *   <li>names match {@code ^[a-zA-Z_][a-zA-Z0-9_]*$}; anything else is an error with its path.
 * </ul>
 *
 * Keys are not expanded, and an expanded value is never expanded again. The result is always a
 * string: the binder turns {@code "4317"} into a number or {@code "true"} into a boolean where
 * the field needs one, and a secret such as {@code 0123} or {@code 1e5} keeps its exact spelling.
 */
public final class EnvExpander {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*");

  private final Function<String, String> env;
  private final ConfigIssues errors;
  private final ConfigIssues warnings;

  public EnvExpander(Function<String, String> env, ConfigIssues errors, ConfigIssues warnings) {
    this.env = env;
    this.errors = errors;
    this.warnings = warnings;
  }

  /** Expands in place every string below {@code node}; {@code path} is the node's own path. */
  public void expandAll(JsonNode node, String path) {
    if (node instanceof ObjectNode) {
      ObjectNode object = (ObjectNode) node;
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        JsonNode child = object.get(key);
        String childPath = Trees.join(path, key);
        if (child.isTextual()) {
          object.set(key, TextNode.valueOf(expand(child.textValue(), childPath)));
        } else {
          expandAll(child, childPath);
        }
      }
    } else if (node instanceof ArrayNode) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        String childPath = path + "[" + i + "]";
        if (child.isTextual()) {
          array.set(i, TextNode.valueOf(expand(child.textValue(), childPath)));
        } else {
          expandAll(child, childPath);
        }
      }
    }
  }

  /** Expands one string; problems are reported under {@code path}. */
  public String expand(String s, String path) {
    if (s.indexOf('$') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = s.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      if (next != '{') {
        out.append(c);
        i++;
        continue;
      }
      int close = s.indexOf('}', i + 2);
      if (close < 0) {
        errors.add(
            path,
            "\"${\" is not closed; write ${env:NAME} for a variable, or $$ for a literal $");
        out.append(s, i, s.length());
        break;
      }
      String reference = s.substring(i + 2, close);
      out.append(resolve(reference, path));
      i = close + 1;
    }
    return out.toString();
  }

  private String resolve(String reference, String path) {
    String written = "${" + reference + "}";
    if (reference.contains("${")) {
      errors.add(path, written + ": nested references are not supported");
      return "";
    }
    String body = reference;
    int colon = reference.indexOf(':');
    if (colon > 0 && !reference.startsWith(":-", colon) && !reference.startsWith(":?", colon)) {
      String scheme = reference.substring(0, colon);
      if (SCHEME.matcher(scheme).matches()) {
        if (!scheme.equals("env")) {
          errors.add(
              path,
              written
                  + ": the \""
                  + scheme
                  + "\" scheme is not supported; only ${env:NAME}, ${env:NAME:-default} and"
                  + " ${env:NAME:?message} are");
          return "";
        }
        body = reference.substring(colon + 1);
      }
    }
    String name = body;
    String fallback = null;
    String required = null;
    int dash = body.indexOf(":-");
    int question = body.indexOf(":?");
    if (dash >= 0 && (question < 0 || dash < question)) {
      name = body.substring(0, dash);
      fallback = body.substring(dash + 2);
    } else if (question >= 0) {
      name = body.substring(0, question);
      required = body.substring(question + 2).strip();
    }
    if (!NAME.matcher(name).matches()) {
      errors.add(
          path,
          written
              + ": \""
              + name
              + "\" is not a valid environment variable name (letters, digits and '_',"
              + " not starting with a digit)");
      return "";
    }
    String value = env.apply(name);
    if (required != null && (value == null || value.isEmpty())) {
      // As the shell's ${NAME:?message}: unset and empty are both missing. A value that must be
      // there (a token) is worse than absent when it is empty: the request goes out without it.
      errors.add(
          path,
          "environment variable "
              + name
              + (value == null ? " is not set" : " is empty")
              + (required.isEmpty() ? "; set it" : ": " + required));
      return "";
    }
    if (value != null) {
      return value;
    }
    if (fallback != null) {
      return fallback;
    }
    warnings.add(
        path,
        "environment variable "
            + name
            + " is not set; using \"\" (set it, or give a default: ${env:"
            + name
            + ":-value})");
    return "";
  }

  /** The process environment. */
  public static Function<String, String> systemEnv() {
    Map<String, String> snapshot = System.getenv();
    return snapshot::get;
  }
}
