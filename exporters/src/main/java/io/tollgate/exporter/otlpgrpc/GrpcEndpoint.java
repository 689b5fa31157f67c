package io.tollgate.exporter.otlpgrpc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An {@code endpoint} as the collector's gRPC client accepts it: {@code host:port}, {@code
 * [::1]:port}, or {@code http(s)://host[:port]} where the scheme decides TLS.
 *
 * @param scheme "http", "https", or "" when none was written
 */
public record GrpcEndpoint(String host, int port, String scheme) {

  /**
   * @throws IllegalArgumentException saying what is wrong and what is accepted
   */
  public static GrpcEndpoint parse(String endpoint) {
    String e = endpoint == null ? "" : endpoint.trim();
    if (e.isEmpty()) {
      throw new IllegalArgumentException("is empty; write host:port, e.g. tempo:4317");
    }
    String lower = e.toLowerCase(Locale.ROOT);
    String scheme = "";
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      scheme = lower.substring(0, lower.indexOf(':'));
    } else if (lower.contains("://")) {
      throw new IllegalArgumentException(
          "\"" + e + "\" has an unsupported scheme; write host:port, http://host:port or https://host:port");
    } else {
      e = "//" + e;
    }
    URI uri;
    try {
      uri = new URI(e);
    } catch (URISyntaxException x) {
      throw new IllegalArgumentException("\"" + endpoint + "\" is not host:port: " + x.getReason());
    }
    if (uri.getRawUserInfo() != null) {
      // gRPC has no use for user:password@ and would drop it silently: the backend would then
      // refuse every request as unauthenticated. Never echo the endpoint here: it holds the secret.
      throw new IllegalArgumentException(
          "must not carry credentials in the URL (user:password@ is not sent over gRPC); put"
              + " them in headers, e.g. authorization: Basic <base64 of user:password>");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "\"" + endpoint + "\" has no valid host; write host:port, e.g. tempo:4317");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "\"" + endpoint + "\" has a path; gRPC endpoints are host:port only (OTLP/HTTP takes a URL)");
    }
    int port = uri.getPort();
    if (port < 0) {
      if (scheme.equals("https")) {
        port = 443;
      } else if (scheme.equals("http")) {
        port = 80;
      } else {
        throw new IllegalArgumentException(
            "\"" + endpoint + "\" has no port; write host:port, e.g. " + host + ":4317");
      }
    }
    if (port == 0 || port > 65535) {
      throw new IllegalArgumentException("\"" + endpoint + "\" has an invalid port " + port);
    }
    return new GrpcEndpoint(host, port, scheme);
  }

  /** {@code host:port} with brackets around an IPv6 address: the gRPC target. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** TLS is on for https://, off for http://, and up to {@code tls.insecure} otherwise. */
  public boolean usesTls(boolean insecure) {
    if (scheme.equals("https")) {
      return true;
    }
    if (scheme.equals("http")) {
      return false;
    }
    return !insecure;
  }

  @Override
  public String toString() {
    return authority();
  }
}
