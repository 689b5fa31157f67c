package io.tollgate.exporter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.otlp.OtlpJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP backend on loopback ({@code com.sun.net.httpserver}, port 0) whose answers a test
 * scripts. Records every request: path, headers (lower-cased names), raw and decoded body.
 */
public final class HttpBackend implements AutoCloseable {

  /** One request as received. */
  public record Received(
      String method, String path, Map<String, String> headers, byte[] rawBody, byte[] body, long nanoTime) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body decoded per its Content-Type. */
    public ExportTraceServiceRequest request() throws IOException {
      String ct = header("content-type");
      if (ct != null && ct.contains("json")) {
        return OtlpJson.decodeRequest(body);
      }
      return ExportTraceServiceRequest.parseFrom(body);
    }
  }

  /** An answer: status, headers and body. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public static Response of(int status) {
      return new Response(status, Map.of(), new byte[0]);
    }

    public Response header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Response(status, h, body);
    }

    public Response body(String contentType, byte[] bytes) {
      return new Response(status, headers, bytes).header("Content-Type", contentType);
    }
  }

  public final List<Received> received = new CopyOnWriteArrayList<>();
  public final List<Received> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile java.util.function.IntFunction<Response> answer = n -> Response.of(200);
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  private HttpBackend(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static HttpBackend start() throws IOException {
    return new HttpBackend(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
  }

  public static HttpBackend startTls(SSLContext ssl) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(ssl));
    return new HttpBackend(s);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public HttpBackend answer(java.util.function.IntFunction<Response> a) {
    this.answer = a;
    return this;
  }

  public int calls() {
    return calls.get();
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  public int acceptedSpans() throws IOException {
    int n = 0;
    for (Received r : accepted) {
      n += GrpcBackend.spans(r.request());
    }
    return n;
  }

  private void handle(HttpExchange ex) throws IOException {
    long now = System.nanoTime();
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readAllBytes();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    byte[] body = raw;
    if ("gzip".equalsIgnoreCase(headers.get("content-encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        body = in.readAllBytes();
      }
    }
    Received r =
        new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, raw, body, now);
    received.add(r);
    Response resp = answer.apply(calls.incrementAndGet());
    if (resp == null) {
      return; // hang: never answer
    }
    if (resp.status() >= 200 && resp.status() < 300) {
      accepted.add(r);
    }
    resp.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] b = resp.body();
    ex.sendResponseHeaders(resp.status(), b.length == 0 ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** The first {@code n} calls get {@code first}, the rest {@code then}. */
  public static java.util.function.IntFunction<Response> firstThen(
      int n, Response first, Response then) {
    return call -> call <= n ? first : then;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
