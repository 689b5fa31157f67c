package io.tollgate.collector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Presidio analyzer on loopback that answers {@code POST /analyze} exactly as Presidio's REST API
 * does, for end-to-end tests: a batch request ({@code "text": [...]}) gets an array with one array
 * of results per text, a single-text request one array of results; each result is {@code
 * {"analysis_explanation":null,"end":N,"entity_type":"PERSON","score":0.85,"start":M}} with
 * <b>code-point</b> offsets (Presidio is Python: string indices count code points, not UTF-16
 * units). It "recognises" the given names as {@code PERSON}, wherever they occur.
 *
 * <p>It can be told to answer only after a delay, as an overloaded analyzer does.
 */
public final class FakePresidio implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> names;
  private final Duration delay;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> textsSeen = new CopyOnWriteArrayList<>();

  /**
   * @param delay how long to wait before answering ({@link Duration#ZERO} for a healthy analyzer)
   * @param names the texts to report as {@code PERSON}
   */
  public FakePresidio(Duration delay, String... names) throws IOException {
    this.names = List.of(names);
    this.delay = delay;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/analyze", this::analyze);
    server.setExecutor(executor);
    server.start();
  }

  /** Base URL to put in {@code presidio.analyzer_endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code /analyze} calls received (answered or not). */
  public int requests() {
    return requests.get();
  }

  /** Every text the analyzer was asked about. */
  public List<String> textsSeen() {
    return textsSeen;
  }

  private void analyze(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "{\"error\":\"Method Not Allowed\"}");
        return;
      }
      JsonNode body;
      try {
        body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      } catch (IOException e) {
        respond(exchange, 500, "{\"error\":\"Failed to parse request\"}");
        return;
      }
      if (body == null || !body.hasNonNull("text") || !body.hasNonNull("language")) {
        // Presidio answers 500 {"error": …} for nearly everything, missing fields included.
        respond(exchange, 500, "{\"error\":\"No text provided\"}");
        return;
      }
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      JsonNode text = body.get("text");
      JsonNode answer;
      if (text.isArray()) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        for (JsonNode t : text) {
          all.add(results(t.asText()));
        }
        answer = all;
      } else {
        answer = results(text.asText());
      }
      respond(exchange, 200, JSON.writeValueAsString(answer));
    }
  }

  private ArrayNode results(String text) {
    textsSeen.add(text);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (String name : names) {
      for (int i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length())) {
        int start = text.codePointCount(0, i);
        ObjectNode r = out.addObject();
        r.putNull("analysis_explanation");
        r.put("end", start + name.codePointCount(0, name.length()));
        r.put("entity_type", "PERSON");
        r.put("score", 0.85);
        r.put("start", start);
      }
    }
    return out;
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
