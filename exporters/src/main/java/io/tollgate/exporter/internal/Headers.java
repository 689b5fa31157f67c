package io.tollgate.exporter.internal;

import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks and merges the {@code headers} of an exporter. Values are {@link Secret}s and are never
 * put into a message.
 */
public final class Headers {

  // RFC 9110 token characters.
  private static final Pattern HTTP_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  // gRPC metadata keys: lower-case letters, digits, '-', '_' and '.'; we lower-case first.
  private static final Pattern GRPC_NAME = Pattern.compile("[0-9a-z_.-]+");
  // Headers the JDK HttpClient refuses to let callers set.
  private static final Set<String> HTTP_RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");
  // Headers the exporter sets itself.
  private static final Set<String> HTTP_OWN = Set.of("content-type", "content-encoding");
  private static final Set<String> GRPC_RESERVED =
      Set.of("content-type", "te", "user-agent", "grpc-encoding", "grpc-accept-encoding");

  private Headers() {}

  /** Reports names and values that an OTLP/HTTP request cannot carry. */
  public static void validateHttp(Map<String, Secret> headers, ConfigIssues issues) {
    headers.forEach(
        (name, value) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!HTTP_NAME.matcher(name).matches()) {
            issues.add(name, "is not a valid HTTP header name");
          } else if (HTTP_RESTRICTED.contains(lower)) {
            issues.add(name, "is managed by the HTTP client and cannot be set");
          } else if (HTTP_OWN.contains(lower)) {
            issues.add(name, "is set by the exporter (use encoding and compression instead)");
          }
          validateValue(name, value, issues);
        });
  }

  /** Reports names and values that gRPC metadata cannot carry. */
  public static void validateGrpc(Map<String, Secret> headers, ConfigIssues issues) {
    headers.forEach(
        (name, value) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!GRPC_NAME.matcher(lower).matches() || lower.startsWith(":")) {
            issues.add(
                name, "is not a valid gRPC metadata key (letters, digits, '-', '_' and '.' only)");
          } else if (lower.endsWith("-bin")) {
            issues.add(name, "binary (-bin) metadata is not supported in headers");
          } else if (lower.startsWith("grpc-") || GRPC_RESERVED.contains(lower)) {
            issues.add(name, "is reserved by gRPC and cannot be set");
          }
          validateValue(name, value, issues);
        });
  }

  private static void validateValue(String name, Secret value, ConfigIssues issues) {
    if (value == null) {
      issues.add(name, "has no value");
      return;
    }
    String v = value.reveal();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f || c > 0x7e) {
        // Do not show the value: it may be a credential.
        issues.add(name, "value contains a control or non-ASCII character at position " + i);
        return;
      }
    }
    // What an environment variable that is set but empty leaves behind, e.g. "Bearer ${env:TOKEN}"
    // becomes "Bearer ". Sent, it fails every request with 401 long after start; refused here,
    // the user learns it from `tollgate validate`. (${env:NAME:?…} makes the loader refuse the
    // empty variable itself; this catches the configs that do not use it.)
    String stripped = v.strip();
    if (stripped.isEmpty()) {
      issues.add(
          name,
          "is empty (an environment variable that is empty or not set?): give it a value, write"
              + " the variable as ${env:NAME:?what to set} so that an empty one stops Tollgate"
              + " at start, or remove the header");
      return;
    }
    if (stripped.indexOf(' ') >= 0 || stripped.indexOf('\t') >= 0) {
      return; // a scheme and its credentials, or a value of several words
    }
    String scheme = knownScheme(stripped);
    boolean authorization =
        name.equalsIgnoreCase("authorization") || name.equalsIgnoreCase("proxy-authorization");
    if (scheme != null || (authorization && stripped.length() < v.length())) {
      // Name a known scheme only: any other single word may be the credential itself.
      issues.add(
          name,
          (scheme != null ? "is only the scheme \"" + scheme + "\"" : "is one word and a space")
              + " with no credentials after it (an environment variable that is empty or not"
              + " set?): write it as \""
              + (scheme != null ? scheme : "Scheme")
              + " ${env:TOKEN:?set TOKEN to the backend's token}\" so that an empty variable"
              + " stops Tollgate at start, or remove the header");
    }
  }

  // Authorization schemes that observability backends use, as they are written.
  private static final List<String> SCHEMES =
      List.of("Bearer", "Basic", "Token", "ApiKey", "Api-Key", "Api-Token", "Digest", "Splunk");

  private static String knownScheme(String word) {
    for (String scheme : SCHEMES) {
      if (scheme.equalsIgnoreCase(word)) {
        return scheme;
      }
    }
    return null;
  }

  /**
   * The user's headers plus those a preset derives from its own keys. A user header with the same
   * name (any case) as a derived one is reported under {@code headers.<name>} with {@code
   * derivedFrom} saying which key sets it.
   */
  public static Map<String, Secret> merge(
      Map<String, Secret> user,
      Map<String, Secret> derived,
      String derivedFrom,
      ConfigIssues issues) {
    Map<String, Secret> out = new LinkedHashMap<>(user);
    for (Map.Entry<String, Secret> e : derived.entrySet()) {
      for (String name : user.keySet()) {
        if (name.equalsIgnoreCase(e.getKey())) {
          issues.add(
              name, "is set by " + derivedFrom + "; remove it from headers or leave that key empty");
        }
      }
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The values to send. Only a sender calls this. */
  public static Map<String, String> reveal(Map<String, Secret> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k, v == null ? "" : v.reveal()));
    return out;
  }
}
