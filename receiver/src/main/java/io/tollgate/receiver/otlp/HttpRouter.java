package io.tollgate.receiver.otlp;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Routes HTTP requests by method and path. A path is literal segments and {@code {name}} segments,
 * which match one non-empty segment each; a literal route wins over a templated one. Adding a route
 * is one line:
 *
 * <pre>{@code
 * HttpRouter.builder()
 *     .route(HttpMethod.POST, "/v1/traces", exportHandler)
 *     .route(HttpMethod.GET, "/v1/traces/{trace_id}", traceHandler)
 *     .build();
 * }</pre>
 */
final class HttpRouter {

  /** The result of {@link #match}. */
  sealed interface Match permits Found, NotFound, MethodNotAllowed {}

  record Found(HttpHandler handler, Map<String, String> pathParams) implements Match {}

  record NotFound() implements Match {}

  /** The path exists, but not for this method; {@code allowed} goes into {@code Allow}. */
  record MethodNotAllowed(Set<HttpMethod> allowed) implements Match {
    String allowHeader() {
      return allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
    }
  }

  private record Route(HttpMethod method, String pattern, String[] segments, HttpHandler handler) {
    boolean isLiteral() {
      for (String s : segments) {
        if (isParam(s)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Route> routes;

  private HttpRouter(List<Route> routes) {
    // Literal routes first, so that /v1/traces/search beats /v1/traces/{id}.
    List<Route> sorted = new ArrayList<>();
    routes.stream().filter(Route::isLiteral).forEach(sorted::add);
    routes.stream().filter(r -> !r.isLiteral()).forEach(sorted::add);
    this.routes = List.copyOf(sorted);
  }

  static Builder builder() {
    return new Builder();
  }

  /** Finds the handler for {@code path} (without query string). */
  Match match(HttpMethod method, String path) {
    String[] parts = split(path);
    Set<HttpMethod> others = null;
    for (Route r : routes) {
      Map<String, String> params = bind(r.segments, parts);
      if (params == null) {
        continue;
      }
      if (r.method.equals(method)) {
        return new Found(r.handler, params);
      }
      if (others == null) {
        others = new LinkedHashSet<>();
      }
      others.add(r.method);
    }
    return others == null
        ? new NotFound()
        : new MethodNotAllowed(Collections.unmodifiableSet(others));
  }

  /** The methods some route accepts at {@code path}; empty when the path is unknown. */
  Set<HttpMethod> methodsAt(String path) {
    String[] parts = split(path);
    Set<HttpMethod> out = new LinkedHashSet<>();
    for (Route r : routes) {
      if (bind(r.segments, parts) != null) {
        out.add(r.method);
      }
    }
    return out;
  }

  /** A human list of the routes, for 404 messages: {@code POST /v1/traces}. */
  String describe() {
    return routes.stream()
        .map(r -> r.method.name() + " " + r.pattern)
        .collect(Collectors.joining(", "));
  }

  private static Map<String, String> bind(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> params = null;
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (isParam(p)) {
        if (parts[i].isEmpty()) {
          return null;
        }
        if (params == null) {
          params = new LinkedHashMap<>();
        }
        params.put(
            p.substring(1, p.length() - 1),
            QueryStringDecoder.decodeComponent(parts[i], StandardCharsets.UTF_8));
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return params == null ? Map.of() : params;
  }

  private static boolean isParam(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
  }

  // "/v1/traces" -> ["v1", "traces"]; a trailing slash is a segment of its own ("").
  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.split("/", -1);
  }

  static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    /**
     * @throws IllegalArgumentException when the path does not start with '/' or the same method and
     *     path are already routed
     */
    Builder route(HttpMethod method, String path, HttpHandler handler) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(handler, "handler");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("a route path starts with '/': " + path);
      }
      String[] segments = split(path);
      for (Route r : routes) {
        if (r.method.equals(method)
            && java.util.Arrays.equals(shape(r.segments), shape(segments))) {
          throw new IllegalArgumentException(
              method + " " + path + " clashes with the route " + r.method + " " + r.pattern);
        }
      }
      routes.add(new Route(method, path, segments, handler));
      return this;
    }

    HttpRouter build() {
      return new HttpRouter(routes);
    }

    // Templates that differ only in parameter names match the same requests.
    private static String[] shape(String[] segments) {
      String[] out = new String[segments.length];
      for (int i = 0; i < segments.length; i++) {
        out[i] = isParam(segments[i]) ? "{}" : segments[i];
      }
      return out;
    }
  }
}
