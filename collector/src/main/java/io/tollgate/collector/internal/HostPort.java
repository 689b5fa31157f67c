package io.tollgate.collector.internal;

import java.net.InetSocketAddress;

/**
 * A listening address as the collector writes it: {@code localhost:8888}, {@code 0.0.0.0:13133},
 * {@code [::1]:4317}, or {@code :8888} for every interface. Port 0 picks a free port (tests).
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
  }

  /**
   * @throws IllegalArgumentException with a message that shows the expected form
   */
  public static HostPort parse(String address) {
    String a = address.trim();
    int colon = a.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "\"" + address + "\" is not host:port; write e.g. localhost:8888 or 0.0.0.0:8888");
    }
    String host = a.substring(0, colon);
    String port = a.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    if (!port.matches("\\d{1,5}")) {
      throw new IllegalArgumentException(
          "\"" + address + "\" has no valid port; write e.g. localhost:8888");
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
