package io.tollgate.receiver.otlp;

import com.google.rpc.Code;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * CORS for browsers that send OTLP/HTTP. The allowed origin is echoed back (never {@code *}) with
 * {@code Access-Control-Allow-Credentials: true}, because the OpenTelemetry JS exporter's {@code
 * sendBeacon} always sends credentials, and a browser refuses a wildcard answer to such requests.
 */
final class Cors {

  // Headers browsers or the OpenTelemetry JS exporters send; always allowed, as the collector
  // allows the first four.
  private static final Set<String> ALWAYS_ALLOWED =
      Set.of("accept", "content-type", "origin", "x-requested-with", "content-encoding");

  private final List<Pattern> origins;
  private final Set<String> allowedHeaders;
  private final boolean anyHeader;
  private final String exposedHeaders;
  private final long maxAgeSeconds;
  private final String configKey;

  /**
   * @param configKey where the config lives, for messages: {@code
   *     receivers.otlp.protocols.http.cors}
   */
  Cors(OtlpReceiverConfig.Cors config, String configKey) {
    this.origins = new ArrayList<>();
    for (String o : config.allowedOrigins()) {
      origins.add(glob(o.toLowerCase(Locale.ROOT)));
    }
    this.allowedHeaders = new HashSet<>(ALWAYS_ALLOWED);
    boolean any = false;
    for (String h : config.allowedHeaders()) {
      if (h.equals("*")) {
        any = true;
      }
      allowedHeaders.add(h.toLowerCase(Locale.ROOT));
    }
    this.anyHeader = any;
    this.exposedHeaders = String.join(", ", config.exposedHeaders());
    this.maxAgeSeconds = config.maxAge().getSeconds();
    this.configKey = configKey;
  }

  boolean enabled() {
    return !origins.isEmpty();
  }

  boolean isPreflight(HttpRequest request) {
    return enabled()
        && request.method().equals(HttpMethod.OPTIONS)
        && request.headers().contains(HttpHeaderNames.ORIGIN)
        && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
  }

  boolean allows(String origin) {
    if (origin == null) {
      return false;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    for (Pattern p : origins) {
      if (p.matcher(o).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Answers a preflight request for a path served with {@code methods}. */
  FullHttpResponse preflight(HttpRequest request, Set<HttpMethod> methods) {
    HttpHeaders in = request.headers();
    String origin = in.get(HttpHeaderNames.ORIGIN);
    if (!allows(origin)) {
      return refuse(
          "origin "
              + origin
              + " may not send here; add it to "
              + configKey
              + ".allowed_origins (wildcards like https://*.example.com work)");
    }
    String method = in.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD).trim();
    if (methods.stream().noneMatch(m -> m.name().equalsIgnoreCase(method))) {
      return refuse(
          "method "
              + method
              + " is not served at "
              + request.uri()
              + "; use "
              + methods.stream().map(HttpMethod::name).collect(Collectors.joining(" or ")));
    }
    String requested = in.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    if (requested != null && !anyHeader) {
      for (String h : requested.split(",")) {
        String name = h.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !allowedHeaders.contains(name)) {
          return refuse(
              "request header "
                  + h.trim()
                  + " is not allowed; add it to "
                  + configKey
                  + ".allowed_headers");
        }
      }
    }
    FullHttpResponse r = HttpResponses.empty(HttpResponseStatus.NO_CONTENT);
    HttpHeaders out = r.headers();
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, method.toUpperCase(Locale.ROOT));
    if (requested != null && !requested.isBlank()) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
    }
    if (maxAgeSeconds > 0) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAgeSeconds);
    }
    out.set(
        HttpHeaderNames.VARY,
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    return r;
  }

  /** Adds the CORS headers of an actual (non-preflight) answer to {@code origin}. */
  void decorate(String origin, HttpHeaders out) {
    if (!enabled()) {
      return;
    }
    out.add(HttpHeaderNames.VARY, "Origin");
    if (!allows(origin)) {
      return;
    }
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    if (!exposedHeaders.isEmpty()) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposedHeaders);
    }
  }

  private static FullHttpResponse refuse(String message) {
    FullHttpResponse r =
        HttpResponses.error(
            HttpResponseStatus.FORBIDDEN, Code.PERMISSION_DENIED, message, WireFormat.JSON);
    r.headers().set(HttpHeaderNames.VARY, "Origin");
    return r;
  }

  // "https://*.example.com" -> ^\Qhttps://\E.*\Q.example.com\E$ ; a lone "*" matches anything.
  private static Pattern glob(String origin) {
    StringBuilder re = new StringBuilder();
    int start = 0;
    for (int i = origin.indexOf('*'); i >= 0; i = origin.indexOf('*', start)) {
      re.append(Pattern.quote(origin.substring(start, i))).append(".*");
      start = i + 1;
    }
    re.append(Pattern.quote(origin.substring(start)));
    return Pattern.compile(re.toString());
  }
}
