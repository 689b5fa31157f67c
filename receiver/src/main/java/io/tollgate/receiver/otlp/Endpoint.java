package io.tollgate.receiver.otlp;

import java.net.InetSocketAddress;

/**
 * A listen address as the collector writes it: {@code host:port}, {@code [::1]:4317}, or {@code
 * :4317} for every interface. Port 0 asks the OS for a free port (tests).
 */
record Endpoint(String host, int port) {

  Endpoint {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
  }

  /**
   * @throws IllegalArgumentException with a message that shows the accepted forms
   */
  static Endpoint parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "endpoint is empty; write host:port, e.g. localhost:4317 or 0.0.0.0:4317");
    }
    String s = text.trim();
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException(
            "endpoint \"" + text + "\" is not [ipv6]:port; write e.g. [::1]:4317");
      }
      host = s.substring(1, close);
      portText = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "endpoint \"" + text + "\" has no port; write host:port, e.g. " + s + ":4317");
      }
      host = s.substring(0, colon);
      portText = s.substring(colon + 1);
      if (s.contains("/")) {
        throw new IllegalArgumentException(
            "endpoint \""
                + text
                + "\" is a URL; a listen endpoint is host:port, e.g. 0.0.0.0:4317");
      }
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "endpoint \"" + text + "\": put an IPv6 address in brackets, e.g. [::1]:4317");
      }
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "endpoint \"" + text + "\" has no numeric port; write host:port, e.g. localhost:4317");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "endpoint \"" + text + "\": port " + port + " is out of range 0-65535");
    }
    return new Endpoint(host, port);
  }

  /** Resolves the host; an empty host means every interface. */
  InetSocketAddress toSocketAddress() {
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
